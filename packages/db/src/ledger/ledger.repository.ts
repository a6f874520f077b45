/**
 * Reads of the ingestion ledger, plus the post-action bookkeeping: after a
 * mail's transaction commits, the worker marks it \Seen or moves it on the
 * IMAP server and records here whether that worked, so failed moves are
 * retried and nothing is acted on twice. Rows are written by ingestDecision.
 */
import type { LedgerOutcome } from '@mailroom/domain';
import { and, asc, count, desc, eq, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../database/database.types';
import type { BigIntLike } from '../checkpoints/checkpoints.repository';
import { isUuid } from '../shared/ids';
import { pageBounds, type Page, type PageRequest } from '../shared/paging';
import { ingestLedger } from './ledger.tables';

export type LedgerEntry = typeof ingestLedger.$inferSelect;

export interface LedgerPosition {
  mailboxId: string;
  folder: string;
  uidValidity: BigIntLike;
  uid: number;
}

export const findLedgerEntry = async (
  db: Db,
  position: LedgerPosition,
): Promise<LedgerEntry | null> => {
  if (!isUuid(position.mailboxId)) return null;
  const [row] = await db
    .select()
    .from(ingestLedger)
    .where(
      and(
        eq(ingestLedger.mailboxId, position.mailboxId),
        eq(ingestLedger.folder, position.folder),
        eq(ingestLedger.uidValidity, BigInt(position.uidValidity)),
        eq(ingestLedger.uid, position.uid),
      ),
    );
  return row ?? null;
};

export const createLedgerRepository = ({ db }: { db: Db }) => ({
  async get(id: string): Promise<LedgerEntry | null> {
    if (!isUuid(id)) return null;
    const [row] = await db.select().from(ingestLedger).where(eq(ingestLedger.id, id));
    return row ?? null;
  },

  /** The row for one folder position, if that mail was processed. */
  find: (position: LedgerPosition): Promise<LedgerEntry | null> => findLedgerEntry(db, position),

  /** Every time a Message-ID was seen in the tenant (any mailbox, folder or UIDVALIDITY). */
  async findByMessageId(tenantId: string, messageId: string): Promise<LedgerEntry[]> {
    return db
      .select()
      .from(ingestLedger)
      .where(and(eq(ingestLedger.tenantId, tenantId), eq(ingestLedger.messageId, messageId)))
      .orderBy(asc(ingestLedger.createdAt));
  },

  /** Newest first. */
  async listForMailbox(
    mailboxId: string,
    options: PageRequest & { outcome?: LedgerOutcome | LedgerOutcome[] } = {},
  ): Promise<Page<LedgerEntry>> {
    const { limit, offset } = pageBounds(options);
    if (!isUuid(mailboxId)) return { items: [], total: 0, limit, offset };
    const conditions: SQL[] = [eq(ingestLedger.mailboxId, mailboxId)];
    if (options.outcome !== undefined) {
      const outcomes = Array.isArray(options.outcome) ? options.outcome : [options.outcome];
      if (outcomes.length > 0) conditions.push(inArray(ingestLedger.outcome, outcomes));
    }
    const where = and(...conditions);
    const items = await db
      .select()
      .from(ingestLedger)
      .where(where)
      .orderBy(desc(ingestLedger.createdAt), desc(ingestLedger.uid))
      .limit(limit)
      .offset(offset);
    const [total] = await db.select({ value: count() }).from(ingestLedger).where(where);
    return { items, total: total?.value ?? 0, limit, offset };
  },

  async markPostActionDone(id: string, now: Date = new Date()): Promise<void> {
    if (!isUuid(id)) return;
    await db
      .update(ingestLedger)
      .set({
        postActionState: 'done',
        postActionError: null,
        postActionAt: now,
        postActionAttempts: sql`${ingestLedger.postActionAttempts} + 1`,
        updatedAt: now,
      })
      .where(eq(ingestLedger.id, id));
  },

  async markPostActionFailed(id: string, error: string, now: Date = new Date()): Promise<void> {
    if (!isUuid(id)) return;
    await db
      .update(ingestLedger)
      .set({
        postActionState: 'failed',
        postActionError: error,
        postActionAt: now,
        postActionAttempts: sql`${ingestLedger.postActionAttempts} + 1`,
        updatedAt: now,
      })
      .where(eq(ingestLedger.id, id));
  },

  /**
   * Post-actions still to do for a mailbox, oldest first: pending ones and
   * failed ones that have been tried fewer than `maxAttempts` times.
   */
  async listPendingPostActions(
    mailboxId: string,
    options: { limit?: number; maxAttempts?: number } = {},
  ): Promise<LedgerEntry[]> {
    if (!isUuid(mailboxId)) return [];
    const { limit } = pageBounds({ limit: options.limit ?? 100 });
    return db
      .select()
      .from(ingestLedger)
      .where(
        and(
          eq(ingestLedger.mailboxId, mailboxId),
          or(
            eq(ingestLedger.postActionState, 'pending'),
            and(
              eq(ingestLedger.postActionState, 'failed'),
              lt(ingestLedger.postActionAttempts, options.maxAttempts ?? 5),
            ),
          ),
        ),
      )
      .orderBy(asc(ingestLedger.createdAt), asc(ingestLedger.uid))
      .limit(limit);
  },
});

export type LedgerRepository = ReturnType<typeof createLedgerRepository>;
