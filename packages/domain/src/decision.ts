/**
 * What the pure decision step returns for one email, and what the ledger
 * records. Every outcome carries a stable reason code and a sentence an admin
 * can read ("skipped: auto-reply — header Auto-Submitted: auto-replied").
 */
import type { FieldValue, Importance } from './ticket';
import type { MailClass } from './mailbox-settings';
import type { ParsedAttachment, EmailAddress } from './parsed-email';

export const ledgerOutcomes = [
  'created',
  'appended',
  'skipped',
  'quarantined',
  'too_large',
] as const;
export type LedgerOutcome = (typeof ledgerOutcomes)[number];

export interface Classification {
  kind: MailClass;
  /** Which rule fired, e.g. `header:auto-submitted`, `subject:de:abwesenheit`; null for normal mail. */
  rule: string | null;
  /** Human evidence, e.g. `Auto-Submitted: auto-replied`. */
  evidence: string | null;
  /** For bounces: the Message-ID of the mail that bounced, when present. */
  originalMessageId?: string | null;
}

/** What the database found for an email's thread keys. */
export interface ThreadHit {
  ticketId: string;
  ticketNumber: number;
  /** How it was found. */
  via: 'in_reply_to' | 'references' | 'subject_token' | 'bounce_original';
  /** Addresses already on that ticket (requester, previous senders), lower-cased. */
  participants: string[];
}

export interface ThreadKeys {
  messageIds: string[];
  /** Ticket numbers named in the subject, e.g. `[#1042]`. */
  ticketNumbers: number[];
  bounceOriginalMessageId: string | null;
}

export interface MessageDraft {
  messageId: string;
  inReplyTo: string[];
  references: string[];
  from: EmailAddress | null;
  to: EmailAddress[];
  cc: EmailAddress[];
  subject: string;
  text: string;
  /** Sanitized. */
  html: string | null;
  sentAt: string | null;
  attachments: ParsedAttachment[];
}

export interface TicketDraft {
  tenantId: string;
  mailboxId: string;
  templateId: string | null;
  ticketTypeId: string | null;
  offerId: string | null;
  subject: string;
  importance: Importance;
  requester: EmailAddress | null;
  fields: Record<string, FieldValue>;
  /** Field keys agents may change only with one of these roles. */
  restrictedFields: Record<string, string[]>;
  message: MessageDraft;
  attachOriginalEml: boolean;
}

export type Decision =
  | { kind: 'skip'; code: string; reason: string; classification: Classification }
  | {
      kind: 'create';
      code: string;
      reason: string;
      classification: Classification;
      ticket: TicketDraft;
    }
  | {
      kind: 'append';
      code: string;
      reason: string;
      classification: Classification;
      ticketId: string;
      ticketNumber: number;
      message: MessageDraft;
      attachOriginalEml: boolean;
    }
  | { kind: 'quarantine'; code: string; reason: string; error: string };
