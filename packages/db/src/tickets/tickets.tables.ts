import { sql } from 'drizzle-orm';
import {
  importances,
  messageDirections,
  ticketSources,
  ticketStatuses,
  type EmailAddress,
  type FieldValue,
} from '@mailroom/domain';
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { blobs } from '../blobs/blobs.tables';
import { mailboxes } from '../mailboxes/mailboxes.tables';
import { offers } from '../offers/offers.tables';
import { createdAt, oneOf, timestamptz, updatedAt } from '../shared/columns';
import { ticketTemplates } from '../templates/templates.tables';
import { tenants } from '../tenants/tenants.tables';
import { ticketTypes } from '../ticket-types/ticket-types.tables';
import { users } from '../users/users.tables';

/**
 * One row per tenant holding the last ticket number handed out. Incremented in
 * the same transaction that inserts the ticket, so numbers have no gaps and
 * concurrent creators queue on the row lock instead of racing.
 */
export const ticketCounters = pgTable('ticket_counters', {
  tenantId: uuid('tenant_id')
    .primaryKey()
    .references(() => tenants.id, { onDelete: 'cascade' }),
  lastNumber: integer('last_number').notNull(),
});

export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    source: text('source', { enum: ticketSources }).notNull(),
    subject: text('subject').notNull(),
    status: text('status', { enum: ticketStatuses }).notNull().default('open'),
    importance: text('importance', { enum: importances }).notNull().default('medium'),
    ticketTypeId: uuid('ticket_type_id').references(() => ticketTypes.id, { onDelete: 'set null' }),
    offerId: uuid('offer_id').references(() => offers.id, { onDelete: 'set null' }),
    templateId: uuid('template_id').references(() => ticketTemplates.id, { onDelete: 'set null' }),
    fields: jsonb('fields').$type<Record<string, FieldValue>>().notNull().default({}),
    /** Field key -> roles allowed to change it. */
    restrictedFields: jsonb('restricted_fields')
      .$type<Record<string, string[]>>()
      .notNull()
      .default({}),
    requesterAddress: text('requester_address'),
    requesterName: text('requester_name'),
    mailboxId: uuid('mailbox_id').references(() => mailboxes.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    unique('tickets_tenant_number_unique').on(table.tenantId, table.number),
    index('tickets_tenant_status_idx').on(table.tenantId, table.status),
    index('tickets_mailbox_idx').on(table.mailboxId),
    check('tickets_source_check', oneOf(table.source, ticketSources)),
    check('tickets_status_check', oneOf(table.status, ticketStatuses)),
    check('tickets_importance_check', oneOf(table.importance, importances)),
  ],
);

export const ticketMessages = pgTable(
  'ticket_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    direction: text('direction', { enum: messageDirections }).notNull(),
    /** RFC 5322 Message-ID without angle brackets; the thread lookup key. */
    messageId: text('message_id'),
    inReplyTo: text('in_reply_to').array().notNull().default([]),
    references: text('references').array().notNull().default([]),
    from: jsonb('from').$type<EmailAddress | null>(),
    to: jsonb('to').$type<EmailAddress[]>().notNull().default([]),
    cc: jsonb('cc').$type<EmailAddress[]>().notNull().default([]),
    subject: text('subject').notNull().default(''),
    text: text('text').notNull().default(''),
    /** Already sanitized by the mail package; rendered as is. */
    html: text('html'),
    sentAt: timestamptz('sent_at'),
    /** The agent who wrote an outbound message. */
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** clock_timestamp(), not now(): messages written in one transaction still sort in order. */
    createdAt: timestamptz('created_at')
      .notNull()
      .default(sql`clock_timestamp()`),
  },
  (table) => [
    index('ticket_messages_ticket_idx').on(table.ticketId, table.createdAt),
    index('ticket_messages_message_id_idx').on(table.messageId),
    check('ticket_messages_direction_check', oneOf(table.direction, messageDirections)),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketMessageId: uuid('ticket_message_id')
      .notNull()
      .references(() => ticketMessages.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    size: bigint('size', { mode: 'number' }).notNull(),
    contentId: text('content_id'),
    inline: boolean('inline').notNull().default(false),
    /** Order within the message, as in the email. */
    position: integer('position').notNull().default(0),
    sha256: text('sha256').notNull(),
    md5: text('md5').notNull(),
    /** Where the bytes live; today always the `blobs` row with the same sha256. */
    blobSha256: text('blob_sha256')
      .notNull()
      .references(() => blobs.sha256),
    createdAt: createdAt(),
  },
  (table) => [index('attachments_ticket_message_idx').on(table.ticketMessageId)],
);
