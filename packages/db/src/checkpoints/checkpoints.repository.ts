/**
 * Folder checkpoints: how far a worker has read each folder. `advance` is what
 * ingestion uses: under the same UIDVALIDITY the last uid only moves forward,
 * so a late or repeated write can never make a worker re-read old mail. A new
 * UIDVALIDITY replaces the position (the folder is re-scanned; the ledger and
 * Message-IDs keep that from creating duplicates). `upsert` overwrites as given.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../database/database.types';
import { isUuid } from '../shared/ids';
import { folderCheckpoints } from './checkpoints.tables';

export interface FolderCheckpoint {
  mailboxId: string;
  folderPath: string;
  uidValidity: bigint;
  lastUid: number;
  highestModseq: bigint | null;
  initialSyncTotal: number | null;
  initialSyncDone: number;
  updatedAt: Date;
}

/** imapflow reports UIDVALIDITY and MODSEQ as BigInt; numbers and digit strings are accepted too. */
export type BigIntLike = bigint | number | string;

export interface CheckpointInput {
  uidValidity: BigIntLike;
  lastUid: number;
  highestModseq?: BigIntLike | null;
  initialSyncTotal?: number | null;
  initialSyncDone?: number;
}

const toCheckpoint = (row: typeof folderCheckpoints.$inferSelect): FolderCheckpoint => ({
  mailboxId: row.mailboxId,
  folderPath: row.folderPath,
  uidValidity: row.uidValidity,
  lastUid: row.lastUid,
  highestModseq: row.highestModseq,
  initialSyncTotal: row.initialSyncTotal,
  initialSyncDone: row.initialSyncDone,
  updatedAt: row.updatedAt,
});

const toBigInt = (value: BigIntLike | null | undefined): bigint | null =>
  value === null || value === undefined ? null : BigInt(value);

const values = (mailboxId: string, folderPath: string, input: CheckpointInput) => ({
  mailboxId,
  folderPath,
  uidValidity: BigInt(input.uidValidity),
  lastUid: input.lastUid,
  highestModseq: toBigInt(input.highestModseq),
  initialSyncTotal: input.initialSyncTotal ?? null,
  initialSyncDone: input.initialSyncDone ?? 0,
  updatedAt: new Date(),
});

/** Writes the checkpoint monotonically (see the module comment); usable inside a transaction. */
export const advanceCheckpoint = async (
  db: Db,
  input: { mailboxId: string; folderPath: string } & CheckpointInput,
): Promise<FolderCheckpoint> => {
  const row = values(input.mailboxId, input.folderPath, input);
  const sameValidity = sql`${folderCheckpoints.uidValidity} = excluded.uid_validity`;
  const set: Record<string, unknown> = {
    uidValidity: sql`excluded.uid_validity`,
    lastUid: sql`case when ${sameValidity} then greatest(${folderCheckpoints.lastUid}, excluded.last_uid) else excluded.last_uid end`,
    highestModseq: sql`case when ${sameValidity} then greatest(${folderCheckpoints.highestModseq}, excluded.highest_modseq) else excluded.highest_modseq end`,
    updatedAt: sql`excluded.updated_at`,
  };
  if (input.initialSyncTotal !== undefined) set.initialSyncTotal = sql`excluded.initial_sync_total`;
  if (input.initialSyncDone !== undefined) set.initialSyncDone = sql`excluded.initial_sync_done`;
  const [saved] = await db
    .insert(folderCheckpoints)
    .values(row)
    .onConflictDoUpdate({
      target: [folderCheckpoints.mailboxId, folderCheckpoints.folderPath],
      set,
    })
    .returning();
  return toCheckpoint(saved!);
};

export const createCheckpointsRepository = ({ db }: { db: Db }) => ({
  async get(mailboxId: string, folderPath: string): Promise<FolderCheckpoint | null> {
    if (!isUuid(mailboxId)) return null;
    const [row] = await db
      .select()
      .from(folderCheckpoints)
      .where(
        and(
          eq(folderCheckpoints.mailboxId, mailboxId),
          eq(folderCheckpoints.folderPath, folderPath),
        ),
      );
    return row === undefined ? null : toCheckpoint(row);
  },

  async listByMailbox(mailboxId: string): Promise<FolderCheckpoint[]> {
    if (!isUuid(mailboxId)) return [];
    const rows = await db
      .select()
      .from(folderCheckpoints)
      .where(eq(folderCheckpoints.mailboxId, mailboxId))
      .orderBy(asc(folderCheckpoints.folderPath));
    return rows.map(toCheckpoint);
  },

  advance: (input: { mailboxId: string; folderPath: string } & CheckpointInput) =>
    advanceCheckpoint(db, input),

  /** Overwrites the checkpoint as given, e.g. to start over after a UIDVALIDITY change. */
  async upsert(
    input: { mailboxId: string; folderPath: string } & CheckpointInput,
  ): Promise<FolderCheckpoint> {
    const row = values(input.mailboxId, input.folderPath, input);
    const { mailboxId: _mailboxId, folderPath: _folderPath, ...set } = row;
    const [saved] = await db
      .insert(folderCheckpoints)
      .values(row)
      .onConflictDoUpdate({
        target: [folderCheckpoints.mailboxId, folderCheckpoints.folderPath],
        set,
      })
      .returning();
    return toCheckpoint(saved!);
  },

  async remove(mailboxId: string, folderPath: string): Promise<boolean> {
    if (!isUuid(mailboxId)) return false;
    const rows = await db
      .delete(folderCheckpoints)
      .where(
        and(
          eq(folderCheckpoints.mailboxId, mailboxId),
          eq(folderCheckpoints.folderPath, folderPath),
        ),
      )
      .returning({ id: folderCheckpoints.id });
    return rows.length > 0;
  },
});

export type CheckpointsRepository = ReturnType<typeof createCheckpointsRepository>;
