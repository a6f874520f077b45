/**
 * Per-mail failure counts for the ingestion engine's poison-mail rule (see
 * ingest-attempts.tables.ts). Small and write-rarely: a row exists only
 * while a mail is being retried; the engine deletes it once the mail has its
 * ledger row.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../database/database.types';
import type { LedgerPosition } from '../ledger/ledger.repository';
import { isUuid } from '../shared/ids';
import { ingestAttempts } from './ingest-attempts.tables';

export interface IngestAttempt {
  attempts: number;
  lastError: string | null;
}

const at = (position: LedgerPosition) =>
  and(
    eq(ingestAttempts.mailboxId, position.mailboxId),
    eq(ingestAttempts.folder, position.folder),
    eq(ingestAttempts.uidValidity, BigInt(position.uidValidity)),
    eq(ingestAttempts.uid, position.uid),
  );

export const createIngestAttemptsRepository = ({ db }: { db: Db }) => ({
  async get(position: LedgerPosition): Promise<IngestAttempt | null> {
    if (!isUuid(position.mailboxId)) return null;
    const [row] = await db
      .select({ attempts: ingestAttempts.attempts, lastError: ingestAttempts.lastError })
      .from(ingestAttempts)
      .where(at(position));
    return row ?? null;
  },

  /** Writes the count as given (the engine owns the arithmetic). */
  async set(position: LedgerPosition, record: IngestAttempt): Promise<void> {
    const values = {
      mailboxId: position.mailboxId,
      folder: position.folder,
      uidValidity: BigInt(position.uidValidity),
      uid: position.uid,
      attempts: record.attempts,
      lastError: record.lastError,
      updatedAt: new Date(),
    };
    await db
      .insert(ingestAttempts)
      .values(values)
      .onConflictDoUpdate({
        target: [
          ingestAttempts.mailboxId,
          ingestAttempts.folder,
          ingestAttempts.uidValidity,
          ingestAttempts.uid,
        ],
        set: {
          attempts: values.attempts,
          lastError: values.lastError,
          updatedAt: values.updatedAt,
        },
      });
  },

  async clear(position: LedgerPosition): Promise<void> {
    if (!isUuid(position.mailboxId)) return;
    await db.delete(ingestAttempts).where(at(position));
  },
});

export type IngestAttemptsRepository = ReturnType<typeof createIngestAttemptsRepository>;
