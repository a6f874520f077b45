/**
 * Response shapes of the read-only ticket endpoints (pure). Attachments are
 * described, not embedded: their bytes stay in the blob store.
 */
import { z } from '@hono/zod-openapi';
import {
  fieldValueSchema,
  importanceSchema,
  messageDirectionSchema,
  ticketSourceSchema,
  ticketStatusSchema,
  ticketStatuses,
} from '@mailroom/domain';
import type { Attachment, Ticket, TicketMessage } from '@mailroom/db';

const addressSchema = z.object({ address: z.string(), name: z.string() });

export const ticketSchema = z
  .object({
    id: z.string(),
    number: z.number().int(),
    source: ticketSourceSchema,
    subject: z.string(),
    status: ticketStatusSchema,
    importance: importanceSchema,
    ticketTypeId: z.string().nullable(),
    offerId: z.string().nullable(),
    templateId: z.string().nullable(),
    fields: z.record(z.string(), fieldValueSchema),
    requester: addressSchema.nullable(),
    mailboxId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Ticket');

const attachmentSchema = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  contentId: z.string().nullable(),
  inline: z.boolean(),
  sha256: z.string(),
});

export const ticketMessageSchema = z
  .object({
    id: z.string(),
    direction: messageDirectionSchema,
    messageId: z.string().nullable(),
    inReplyTo: z.array(z.string()),
    references: z.array(z.string()),
    from: addressSchema.nullable(),
    to: z.array(addressSchema),
    cc: z.array(addressSchema),
    subject: z.string(),
    text: z.string(),
    html: z.string().nullable().openapi({ description: 'Sanitized when the mail was ingested.' }),
    sentAt: z.string().nullable(),
    createdAt: z.string(),
    attachments: z.array(attachmentSchema),
  })
  .openapi('TicketMessage');

export const ticketListSchema = z
  .object({
    items: z.array(ticketSchema),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  })
  .openapi('TicketList');

export const ticketWithMessagesSchema = z
  .object({ ticket: ticketSchema, messages: z.array(ticketMessageSchema) })
  .openapi('TicketWithMessages');

const statusList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(ticketStatuses, { error: `use ${ticketStatuses.join(', ')}` })));

export const ticketListQuerySchema = z.object({
  mailboxId: z.string().optional().openapi({ description: 'Only tickets from this mailbox.' }),
  status: statusList
    .optional()
    .openapi({ type: 'string', description: 'Comma-separated, e.g. `open,pending`.' }),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: '1-200, default 50.' }),
  offset: z.coerce.number().int().min(0).optional(),
});

export const ticketIdParamsSchema = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, format: 'uuid' }),
});

export const messageParamsSchema = ticketIdParamsSchema.extend({
  messageId: z.string().openapi({ param: { name: 'messageId', in: 'path' }, format: 'uuid' }),
});

export const attachmentParamsSchema = ticketIdParamsSchema.extend({
  attachmentId: z.string().openapi({ param: { name: 'attachmentId', in: 'path' }, format: 'uuid' }),
});

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

export const toTicketView = (ticket: Ticket): z.infer<typeof ticketSchema> => ({
  id: ticket.id,
  number: ticket.number,
  source: ticket.source,
  subject: ticket.subject,
  status: ticket.status,
  importance: ticket.importance,
  ticketTypeId: ticket.ticketTypeId,
  offerId: ticket.offerId,
  templateId: ticket.templateId,
  fields: ticket.fields,
  requester: ticket.requester,
  mailboxId: ticket.mailboxId,
  createdAt: ticket.createdAt.toISOString(),
  updatedAt: ticket.updatedAt.toISOString(),
});

const toAttachmentView = (attachment: Attachment) => ({
  id: attachment.id,
  filename: attachment.filename,
  contentType: attachment.contentType,
  size: attachment.size,
  contentId: attachment.contentId,
  inline: attachment.inline,
  sha256: attachment.sha256,
});

export const toMessageView = (message: TicketMessage): z.infer<typeof ticketMessageSchema> => ({
  id: message.id,
  direction: message.direction,
  messageId: message.messageId,
  inReplyTo: message.inReplyTo,
  references: message.references,
  from: message.from,
  to: message.to,
  cc: message.cc,
  subject: message.subject,
  text: message.text,
  html: message.html,
  sentAt: iso(message.sentAt),
  createdAt: message.createdAt.toISOString(),
  attachments: message.attachments.map(toAttachmentView),
});
