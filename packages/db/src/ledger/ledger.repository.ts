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

  /**
   * Newest first. Pages either by `offset` or, stable while new mail keeps
   * arriving, by `cursor`: the `nextCursor` of the previous page (an entry id;
   * `null` on the last page). `total` counts every entry matching the filter.
   */
  async listForMailbox(
    mailboxId: string,
    options: PageRequest & {
      outcome?: LedgerOutcome | LedgerOutcome[];
      cursor?: string | null;
    } = {},
  ): Promise<Page<LedgerEntry> & { nextCursor: string | null }> {
    const { limit, offset } = pageBounds(options);
    const useCursor = options.cursor !== undefined && options.cursor !== null;
    const empty = { items: [], total: 0, limit, offset: useCursor ? 0 : offset, nextCursor: null };
    if (!isUuid(mailboxId)) return empty;
    const conditions: SQL[] = [eq(ingestLedger.mailboxId, mailboxId)];
    if (options.outcome !== undefined) {
      const outcomes = Array.isArray(options.outcome) ? options.outcome : [options.outcome];
      if (outcomes.length > 0) conditions.push(inArray(ingestLedger.outcome, outcomes));
    }
    const filter = and(...conditions);
    const [total] = await db.select({ value: count() }).from(ingestLedger).where(filter);
    const page: SQL[] = [];
    if (useCursor) {
      if (!isUuid(options.cursor!)) return { ...empty, total: total?.value ?? 0 };
      // Compared in the database: timestamps there have microseconds, a JS Date does not.
      page.push(
        sql`(${ingestLedger.createdAt}, ${ingestLedger.id}) < (select c.created_at, c.id from ${ingestLedger} c where c.id = ${options.cursor})`,
      );
    }
    const rows = await db
      .select()
      .from(ingestLedger)
      .where(and(filter, ...page))
      .orderBy(desc(ingestLedger.createdAt), desc(ingestLedger.id))
      .limit(limit + 1)
      .offset(useCursor ? 0 : offset);
    const items = rows.slice(0, limit);
    return {
      items,
      total: total?.value ?? 0,
      limit,
      offset: useCursor ? 0 : offset,
      nextCursor: rows.length > limit ? items[items.length - 1]!.id : null,
    };
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

  /** `markPostActionDone` for many rows in one statement (a batch the worker acted on at once). */
  async markPostActionsDone(ids: string[], now: Date = new Date()): Promise<void> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return;
    await db
      .update(ingestLedger)
      .set({
        postActionState: 'done',
        postActionError: null,
        postActionAt: now,
        postActionAttempts: sql`${ingestLedger.postActionAttempts} + 1`,
        updatedAt: now,
      })
      .where(inArray(ingestLedger.id, valid));
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
