/** Ticket, message and attachment shapes the repository returns, and their row mappers. Pure. */
import type {
  EmailAddress,
  FieldValue,
  Importance,
  MessageDirection,
  TicketSource,
  TicketStatus,
} from '@mailroom/domain';
import type { attachments, ticketMessages, tickets } from './tickets.tables';

export interface Ticket {
  id: string;
  tenantId: string;
  number: number;
  source: TicketSource;
  subject: string;
  status: TicketStatus;
  importance: Importance;
  ticketTypeId: string | null;
  offerId: string | null;
  templateId: string | null;
  fields: Record<string, FieldValue>;
  restrictedFields: Record<string, string[]>;
  requester: EmailAddress | null;
  mailboxId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Attachment {
  id: string;
  ticketMessageId: string;
  filename: string;
  contentType: string;
  size: number;
  contentId: string | null;
  inline: boolean;
  position: number;
  sha256: string;
  md5: string;
  /** Address of the bytes in the blob store. */
  blobSha256: string;
  createdAt: Date;
}

export interface TicketMessage {
  id: string;
  ticketId: string;
  direction: MessageDirection;
  messageId: string | null;
  inReplyTo: string[];
  references: string[];
  from: EmailAddress | null;
  to: EmailAddress[];
  cc: EmailAddress[];
  subject: string;
  text: string;
  html: string | null;
  sentAt: Date | null;
  authorUserId: string | null;
  createdAt: Date;
  attachments: Attachment[];
}

/** Bytes plus what a reader needs; sizes and hashes are computed from `content`. */
export interface AttachmentInput {
  filename: string;
  contentType: string;
  content: Uint8Array;
  contentId?: string | null;
  inline?: boolean;
}

export interface NewMessageInput {
  direction: MessageDirection;
  messageId?: string | null;
  inReplyTo?: string[];
  references?: string[];
  from?: EmailAddress | null;
  to?: EmailAddress[];
  cc?: EmailAddress[];
  subject?: string;
  text?: string;
  /** Must already be sanitized. */
  html?: string | null;
  sentAt?: Date | string | null;
  authorUserId?: string | null;
  attachments?: AttachmentInput[];
}

export interface NewTicketInput {
  tenantId: string;
  source: TicketSource;
  subject: string;
  status?: TicketStatus;
  importance?: Importance;
  ticketTypeId?: string | null;
  offerId?: string | null;
  templateId?: string | null;
  fields?: Record<string, FieldValue>;
  restrictedFields?: Record<string, string[]>;
  requester?: EmailAddress | null;
  mailboxId?: string | null;
  /** The first message, stored in the same transaction. */
  message?: NewMessageInput;
}

/** A ticket found by the thread lookup. */
export interface ThreadLookupHit {
  ticketId: string;
  ticketNumber: number;
  /** Which of the asked-for Message-IDs belong to this ticket (empty for a lookup by number). */
  matchedMessageIds: string[];
  /** Requester and every from / to / cc address on the ticket's messages, lower-cased, deduplicated. */
  participants: string[];
}

export const toTicket = (row: typeof tickets.$inferSelect): Ticket => ({
  id: row.id,
  tenantId: row.tenantId,
  number: row.number,
  source: row.source,
  subject: row.subject,
  status: row.status,
  importance: row.importance,
  ticketTypeId: row.ticketTypeId,
  offerId: row.offerId,
  templateId: row.templateId,
  fields: row.fields,
  restrictedFields: row.restrictedFields,
  requester:
    row.requesterAddress === null
      ? null
      : { address: row.requesterAddress, name: row.requesterName ?? '' },
  mailboxId: row.mailboxId,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export const toAttachment = (row: typeof attachments.$inferSelect): Attachment => ({ ...row });

export const toMessage = (
  row: typeof ticketMessages.$inferSelect,
  files: Attachment[],
): TicketMessage => ({
  ...row,
  attachments: files,
});

/** Lower-cased, deduplicated, empty addresses dropped, order of first appearance kept. */
export const collectAddresses = (addresses: Array<EmailAddress | null | undefined>): string[] => {
  const seen = new Set<string>();
  for (const entry of addresses) {
    const address = entry?.address.trim().toLowerCase() ?? '';
    if (address !== '') seen.add(address);
  }
  return [...seen];
};
