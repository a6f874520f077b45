import { bigint, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { mailboxes } from '../mailboxes/mailboxes.tables';
import { updatedAt } from '../shared/columns';

/**
 * Failed tries of one mail that has no ledger row yet, keyed like the ledger.
 * The ingestion engine counts an attempt before it processes the first mail
 * after a checkpoint, so a mail that crashes the worker is counted across
 * restarts and quarantined after N tries instead of crash-looping forever.
 */
export const ingestAttempts = pgTable(
  'ingest_attempts',
  {
    mailboxId: uuid('mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    folder: text('folder').notNull(),
    uidValidity: bigint('uid_validity', { mode: 'bigint' }).notNull(),
    uid: bigint('uid', { mode: 'number' }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    updatedAt: updatedAt(),
  },
  (table) => [
    primaryKey({ columns: [table.mailboxId, table.folder, table.uidValidity, table.uid] }),
  ],
);
