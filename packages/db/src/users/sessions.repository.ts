/**
 * Web login sessions. The browser holds a random token; the database holds
 * only its sha256, so a leaked database does not leak live sessions.
 */
import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../database/database.types';
import { randomToken, sha256Hex } from '../shared/hashing';
import { toUser, type User } from './users.repository';
import { sessions, users } from './users.tables';

export interface Session {
  id: string;
  userId: string;
  expiresAt: Date;
  lastSeenAt: Date;
  createdAt: Date;
}

export const createSessionsRepository = ({ db }: { db: Db }) => ({
  /** Returns the plaintext token once; store it in a cookie. */
  async create(input: {
    userId: string;
    ttlMs: number;
    now?: Date;
  }): Promise<{ token: string; session: Session }> {
    const now = input.now ?? new Date();
    const token = randomToken(32);
    const [row] = await db
      .insert(sessions)
      .values({
        userId: input.userId,
        tokenHash: sha256Hex(token),
        expiresAt: new Date(now.getTime() + input.ttlMs),
        lastSeenAt: now,
      })
      .returning({
        id: sessions.id,
        userId: sessions.userId,
        expiresAt: sessions.expiresAt,
        lastSeenAt: sessions.lastSeenAt,
        createdAt: sessions.createdAt,
      });
    return { token, session: row! };
  },

  /** The session and its user, or null when unknown, expired, or the user is disabled. */
  async resolve(
    token: string,
    now: Date = new Date(),
  ): Promise<{ session: Session; user: User } | null> {
    const [row] = await db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(
        and(
          eq(sessions.tokenHash, sha256Hex(token)),
          gt(sessions.expiresAt, now),
          eq(users.disabled, false),
        ),
      );
    if (row === undefined) return null;
    // Touch at most once a minute: a page load fires several API calls.
    let lastSeenAt = row.session.lastSeenAt;
    if (now.getTime() - lastSeenAt.getTime() > 60_000) {
      await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.session.id));
      lastSeenAt = now;
    }
    const { tokenHash: _tokenHash, ...session } = row.session;
    return { session: { ...session, lastSeenAt }, user: toUser(row.user) };
  },

  async revoke(token: string): Promise<void> {
    await db.delete(sessions).where(eq(sessions.tokenHash, sha256Hex(token)));
  },

  async revokeAllForUser(userId: string): Promise<number> {
    const rows = await db
      .delete(sessions)
      .where(eq(sessions.userId, userId))
      .returning({ id: sessions.id });
    return rows.length;
  },

  async deleteExpired(now: Date = new Date()): Promise<number> {
    const rows = await db
      .delete(sessions)
      .where(lte(sessions.expiresAt, now))
      .returning({ id: sessions.id });
    return rows.length;
  },
});

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
