import { ledgerOutcomes, postActions } from '@mailroom/domain';
import { bigint, check, index, integer, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { blobs } from '../blobs/blobs.tables';
import { mailboxes } from '../mailboxes/mailboxes.tables';
import { createdAt, oneOf, timestamptz, updatedAt } from '../shared/columns';
import { tenants } from '../tenants/tenants.tables';
import { tickets } from '../tickets/tickets.tables';

export const postActionStates = ['pending', 'done', 'failed', 'not_needed'] as const;
export type PostActionState = (typeof postActionStates)[number];

/**
 * One row per email ever seen, keyed by where it was seen. The unique key
 * (mailbox, folder, uidvalidity, uid) is what makes ingestion exactly-once.
 */
export const ingestLedger = pgTable(
  'ingest_ledger',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    mailboxId: uuid('mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    folder: text('folder').notNull(),
    uidValidity: bigint('uid_validity', { mode: 'bigint' }).notNull(),
    uid: bigint('uid', { mode: 'number' }).notNull(),
    messageId: text('message_id'),
    outcome: text('outcome', { enum: ledgerOutcomes }).notNull(),
    reasonCode: text('reason_code').notNull(),
    /** A sentence an admin can read. */
    reasonDetail: text('reason_detail').notNull(),
    /** Technical error text for quarantined mail. */
    error: text('error'),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    /** The raw message, kept for quarantined mail so it can be inspected and replayed. */
    rawBlobSha256: text('raw_blob_sha256').references(() => blobs.sha256),
    fromAddress: text('from_address'),
    subject: text('subject'),
    size: bigint('size', { mode: 'number' }),
    attempts: integer('attempts').notNull().default(1),
    /** What to do on the IMAP server after commit: leave, mark_seen, move. */
    postAction: text('post_action', { enum: postActions }).notNull().default('leave'),
    postActionState: text('post_action_state', { enum: postActionStates })
      .notNull()
      .default('not_needed'),
    /** Destination folder for `move`. */
    postActionTarget: text('post_action_target'),
    postActionAttempts: integer('post_action_attempts').notNull().default(0),
    postActionError: text('post_action_error'),
    postActionAt: timestamptz('post_action_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    unique('ingest_ledger_position_unique').on(
      table.mailboxId,
      table.folder,
      table.uidValidity,
      table.uid,
    ),
    index('ingest_ledger_tenant_message_id_idx').on(table.tenantId, table.messageId),
    index('ingest_ledger_mailbox_created_idx').on(table.mailboxId, table.createdAt),
    index('ingest_ledger_post_action_idx').on(table.mailboxId, table.postActionState),
    check('ingest_ledger_outcome_check', oneOf(table.outcome, ledgerOutcomes)),
    check('ingest_ledger_post_action_check', oneOf(table.postAction, postActions)),
    check('ingest_ledger_post_action_state_check', oneOf(table.postActionState, postActionStates)),
  ],
);
