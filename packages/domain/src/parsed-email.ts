/**
 * The parsed form of one email that everything after the parse step relies on.
 * Produced by `@mailroom/mail`'s parser, consumed by the pure `@mailroom/mapping`.
 * Plain data only (JSON-safe but for attachment content), so decisions stay pure.
 */
import type { Importance } from './ticket';

export interface EmailAddress {
  /** Lower-cased address (`local@domain`); empty when a header held only a group or garbage. */
  address: string;
  name: string;
}

export interface ParsedAttachment {
  filename: string;
  contentType: string;
  size: number;
  contentId: string | null;
  inline: boolean;
  md5: string;
  sha256: string;
  /** Raw decoded bytes. */
  content: Uint8Array;
  /** True for attached messages (`message/rfc822`). */
  isMessage: boolean;
}

export interface ParsedEmail {
  /** Without angle brackets. Derived from the raw bytes when the mail has none (see `messageIdDerived`). */
  messageId: string;
  messageIdDerived: boolean;
  inReplyTo: string[];
  references: string[];
  from: EmailAddress | null;
  sender: EmailAddress | null;
  replyTo: EmailAddress[];
  to: EmailAddress[];
  cc: EmailAddress[];
  deliveredTo: string[];
  returnPath: string | null;
  subject: string;
  /** ISO 8601; null when the Date header is missing or unreadable. */
  date: string | null;
  text: string;
  html: string | null;
  /** From Importance / X-Priority / Priority / X-MSMail-Priority; null when none says. */
  importance: Importance | null;
  attachments: ParsedAttachment[];
  /** Every header, lower-cased names, in order; values unfolded and decoded where text. */
  headers: Array<{ name: string; value: string }>;
  /** The MIME content types seen, top-level first (e.g. multipart/report; report-type=...). */
  contentType: string;
  /** Size of the raw message in bytes. */
  size: number;
  /** Non-fatal problems the parser noticed (bad charset, broken MIME). */
  warnings: string[];
}
