/**
 * Leases share active mailboxes among worker processes: each active mailbox
 * has at most one owner whose lease has not expired. Times come from the
 * database clock (`now()`), never from a worker's, so clock skew between hosts
 * cannot hand one mailbox to two workers. Acquisition locks candidate rows
 * with FOR UPDATE SKIP LOCKED, so concurrent workers never wait on or take the
 * same rows; on PGlite (single connection) the same statement simply runs.
 */
import { and, asc, eq, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../database/database.types';
import { mailboxes } from './mailboxes.tables';

export interface HeldLease {
  mailboxId: string;
  settingsVersion: number;
  expiresAt: Date;
}

const expiryIn = (ttlMs: number): SQL =>
  sql`now() + ${`${Math.max(1, Math.round(ttlMs))} milliseconds`}::interval`;

const leaseFree = (): SQL =>
  or(
    isNull(mailboxes.leaseOwner),
    isNull(mailboxes.leaseExpiresAt),
    lt(mailboxes.leaseExpiresAt, sql`now()`),
  )!;

export const createMailboxLeasesRepository = ({ db }: { db: Db }) => ({
  /**
   * Takes up to `limit` active mailboxes whose lease is free or expired and
   * returns their ids. Mailboxes this owner already holds are not returned
   * (keep them alive with `heartbeat`).
   */
  async acquireLeases(input: {
    owner: string;
    limit: number;
    ttlMs: number;
  }): Promise<HeldLease[]> {
    if (input.limit <= 0) return [];
    return db.transaction(async (tx) => {
      const candidates = await tx
        .select({ id: mailboxes.id })
        .from(mailboxes)
        .where(and(eq(mailboxes.status, 'active'), leaseFree()))
        .orderBy(asc(mailboxes.leaseExpiresAt), asc(mailboxes.createdAt))
        .limit(input.limit)
        .for('update', { skipLocked: true });
      if (candidates.length === 0) return [];
      return tx
        .update(mailboxes)
        .set({
          leaseOwner: input.owner,
          leaseExpiresAt: expiryIn(input.ttlMs),
          heartbeatAt: sql`now()`,
        })
        .where(
          inArray(
            mailboxes.id,
            candidates.map((candidate) => candidate.id),
          ),
        )
        .returning({
          mailboxId: mailboxes.id,
          settingsVersion: mailboxes.settingsVersion,
          expiresAt: sql<Date>`${mailboxes.leaseExpiresAt}`.mapWith(mailboxes.leaseExpiresAt),
        });
    });
  },

  /**
   * Extends every lease `owner` holds on a still-active mailbox and gives up
   * those on mailboxes that were paused or set back to draft. The result is
   * the complete list of mailboxes the owner may keep running; a worker stops
   * any other, and restarts one whose settingsVersion changed.
   */
  async heartbeat(input: { owner: string; ttlMs: number }): Promise<HeldLease[]> {
    return db.transaction(async (tx) => {
      await tx
        .update(mailboxes)
        .set({ leaseOwner: null, leaseExpiresAt: null, heartbeatAt: null })
        .where(and(eq(mailboxes.leaseOwner, input.owner), ne(mailboxes.status, 'active')));
      return tx
        .update(mailboxes)
        .set({ leaseExpiresAt: expiryIn(input.ttlMs), heartbeatAt: sql`now()` })
        .where(and(eq(mailboxes.leaseOwner, input.owner), eq(mailboxes.status, 'active')))
        .returning({
          mailboxId: mailboxes.id,
          settingsVersion: mailboxes.settingsVersion,
          expiresAt: sql<Date>`${mailboxes.leaseExpiresAt}`.mapWith(mailboxes.leaseExpiresAt),
        });
    });
  },

  /** Gives up the owner's leases (all, or only `mailboxIds`), e.g. on shutdown. Returns how many. */
  async release(input: { owner: string; mailboxIds?: string[] }): Promise<number> {
    const conditions: SQL[] = [eq(mailboxes.leaseOwner, input.owner)];
    if (input.mailboxIds !== undefined) {
      if (input.mailboxIds.length === 0) return 0;
      conditions.push(inArray(mailboxes.id, input.mailboxIds));
    }
    const rows = await db
      .update(mailboxes)
      .set({ leaseOwner: null, leaseExpiresAt: null, heartbeatAt: null })
      .where(and(...conditions))
      .returning({ id: mailboxes.id });
    return rows.length;
  },

  /** Clears leases that ran out (a worker died); they were takeable anyway, this tidies what admins see. */
  async clearExpiredLeases(): Promise<number> {
    const rows = await db
      .update(mailboxes)
      .set({ leaseOwner: null, leaseExpiresAt: null, heartbeatAt: null })
      .where(lt(mailboxes.leaseExpiresAt, sql`now()`))
      .returning({ id: mailboxes.id });
    return rows.length;
  },
});
