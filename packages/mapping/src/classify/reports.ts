/**
 * Reads the machine-readable parts of a report (RFC 6522 multipart/report): the
 * delivery-status fields of a DSN (RFC 3464), the feedback report of an ARF complaint
 * (RFC 5965), the disposition of a read receipt (RFC 8098), and the Message-ID of the
 * original mail they are about. Tolerant of broken reports; never throws.
 */
import type { ParsedAttachment, ParsedEmail } from '@mailroom/domain';
import { bytesToText, normalizeMessageId, parseFieldBlock } from '../headers';

export type ReportType = 'delivery-status' | 'feedback-report' | 'disposition-notification';

const partTypes: Record<ReportType, string[]> = {
  'delivery-status': ['message/delivery-status', 'message/global-delivery-status'],
  'feedback-report': ['message/feedback-report'],
  'disposition-notification': [
    'message/disposition-notification',
    'message/global-disposition-notification',
  ],
};

const attachmentsOf = (email: ParsedEmail): ParsedAttachment[] =>
  Array.isArray(email.attachments)
    ? email.attachments.filter((a) => a && typeof a === 'object')
    : [];

const typeOf = (attachment: ParsedAttachment): string =>
  typeof attachment.contentType === 'string' ? attachment.contentType.toLowerCase().trim() : '';

/** The report type the top-level Content-Type declares, or the report part the message carries. */
export const reportTypeOf = (email: ParsedEmail): ReportType | null => {
  const contentType = typeof email.contentType === 'string' ? email.contentType.toLowerCase() : '';
  if (contentType.startsWith('multipart/report')) {
    const declared = /report-type\s*=\s*"?([a-z-]+)/.exec(contentType)?.[1];
    if (declared === 'delivery-status' || declared === 'global-delivery-status')
      return 'delivery-status';
    if (declared === 'feedback-report') return 'feedback-report';
    if (declared === 'disposition-notification' || declared === 'global-disposition-notification') {
      return 'disposition-notification';
    }
  }
  const types = attachmentsOf(email).map(typeOf);
  for (const [report, parts] of Object.entries(partTypes) as Array<[ReportType, string[]]>) {
    if (types.some((type) => parts.includes(type))) return report;
  }
  return null;
};

export interface DeliveryStatus {
  /** Lower-cased Action values of every recipient (`failed`, `delayed`, `delivered`, ...). */
  actions: string[];
  /** Status codes (`5.1.1`), one per recipient that has one. */
  statuses: string[];
  recipients: string[];
}

/** The per-recipient fields of every delivery-status part. */
export const readDeliveryStatus = (email: ParsedEmail): DeliveryStatus => {
  const result: DeliveryStatus = { actions: [], statuses: [], recipients: [] };
  for (const attachment of attachmentsOf(email)) {
    if (!partTypes['delivery-status'].includes(typeOf(attachment))) continue;
    for (const field of parseFieldBlock(bytesToText(attachment.content))) {
      const value = field.value.toLowerCase();
      if (field.name === 'action') {
        const action = /^[a-z]+/.exec(value)?.[0];
        if (action) result.actions.push(action);
      } else if (field.name === 'status') {
        const status = /^[245]\.\d{1,3}\.\d{1,3}/.exec(value)?.[0];
        if (status) result.statuses.push(status);
      } else if (field.name === 'final-recipient' || field.name === 'original-recipient') {
        const address = value.replace(/^[a-z0-9-]+\s*;\s*/, '').trim();
        if (address && !result.recipients.includes(address)) result.recipients.push(address);
      }
    }
  }
  return result;
};

/** Feedback-Type of an ARF report (`abuse`, `fraud`, ...), or null. */
export const readFeedbackType = (email: ParsedEmail): string | null => {
  for (const attachment of attachmentsOf(email)) {
    if (!partTypes['feedback-report'].includes(typeOf(attachment))) continue;
    const field = parseFieldBlock(bytesToText(attachment.content)).find(
      (f) => f.name === 'feedback-type',
    );
    if (field) return field.value.toLowerCase();
  }
  return null;
};

const MESSAGE_ID_LINE = /^(?:original-)?message-id:[ \t]*(<[^<>\s]+>|\S+@\S+)/im;

/**
 * The Message-ID of the mail a report or bounce is about: from the attached original
 * (message/rfc822, text/rfc822-headers), an Original-Message-ID field, or — for plain-text
 * bounces that quote the original headers — the first Message-ID line of the body.
 */
export const findOriginalMessageId = (email: ParsedEmail): string | null => {
  const own = typeof email.messageId === 'string' ? email.messageId.toLowerCase() : '';
  const candidates: string[] = [];
  for (const attachment of attachmentsOf(email)) {
    const type = typeOf(attachment);
    const isOriginal =
      attachment.isMessage === true ||
      type === 'message/rfc822' ||
      type === 'message/global' ||
      type === 'text/rfc822-headers' ||
      type === 'message/rfc822-headers' ||
      type === 'message/global-headers';
    const isReport = Object.values(partTypes).some((parts) => parts.includes(type));
    if (!isOriginal && !isReport) continue;
    const text = bytesToText(attachment.content, 64 * 1024);
    const head = isOriginal ? (text.split(/\r?\n\r?\n/, 1)[0] ?? '') : text;
    for (const field of parseFieldBlock(head)) {
      if (field.name === 'message-id' || field.name === 'original-message-id') {
        const id = normalizeMessageId(field.value);
        if (id) candidates.push(id);
      }
    }
  }
  const body = typeof email.text === 'string' ? email.text.slice(0, 64 * 1024) : '';
  const quoted = MESSAGE_ID_LINE.exec(body)?.[1];
  const fromBody = quoted ? normalizeMessageId(quoted) : null;
  if (fromBody) candidates.push(fromBody);
  return candidates.find((id) => id.toLowerCase() !== own) ?? null;
};
