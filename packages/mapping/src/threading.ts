/**
 * Which ticket an email answers. threadKeys() says what the database should look up
 * (Message-IDs from In-Reply-To and References, ticket tokens like `[#1042]` in the
 * subject, a bounce's original Message-ID); chooseThread() picks among what it found.
 * A subject token is easy to copy or collide with, so on its own it only counts when the
 * sender is already on that ticket: a false merge leaks one customer's mail to another.
 */
import type { Classification, ParsedEmail, ThreadHit, ThreadKeys } from '@mailroom/domain';
import { normalizeMessageId } from './headers';
import { classify } from './classify/classify';

/** Mailroom writes `[#1042]` into the subjects it sends; `[Ticket#1042]` and `[Ticket #1042]` are read too. */
export const formatTicketToken = (ticketNumber: number): string => `[#${ticketNumber}]`;

const TOKEN = /\[\s*(?:ticket\s*)?#\s*(\d{1,9})\s*\]/gi;

/** The most Message-IDs looked up per email: In-Reply-To plus the newest References. */
export const MAX_THREAD_MESSAGE_IDS = 50;

export const ticketNumbersInSubject = (subject: string): number[] => {
  if (typeof subject !== 'string') return [];
  const numbers: number[] = [];
  for (const match of subject.slice(0, 2000).matchAll(TOKEN)) {
    const n = Number(match[1]);
    if (Number.isSafeInteger(n) && n > 0 && !numbers.includes(n)) numbers.push(n);
  }
  return numbers;
};

const ids = (values: unknown): string[] =>
  Array.isArray(values)
    ? values
        .map((value) => (typeof value === 'string' ? normalizeMessageId(value) : null))
        .filter((id): id is string => id !== null)
    : [];

export const threadKeys = (email: ParsedEmail, classification?: Classification): ThreadKeys => {
  const inReplyTo = ids(email.inReplyTo);
  const references = ids(email.references).reverse(); // newest first
  const messageIds: string[] = [];
  for (const id of [...inReplyTo, ...references]) {
    if (messageIds.length >= MAX_THREAD_MESSAGE_IDS) break;
    if (!messageIds.includes(id) && id !== email.messageId) messageIds.push(id);
  }
  const verdict = classification ?? classify(email);
  const bounceOriginalMessageId =
    verdict.kind === 'bounce' || verdict.kind === 'complaint'
      ? (verdict.originalMessageId ?? null)
      : null;
  return {
    messageIds,
    ticketNumbers: ticketNumbersInSubject(email.subject),
    bounceOriginalMessageId,
  };
};

export type ThreadChoice =
  { kind: 'append'; hit: ThreadHit } | { kind: 'new'; untrustedToken: ThreadHit | null };

const viaRank: Record<ThreadHit['via'], number> = {
  in_reply_to: 0,
  references: 1,
  bounce_original: 2,
  subject_token: 3,
};

/** Addresses that speak for the email's sender: From, Sender and Reply-To, lower-cased. */
export const senderAddresses = (email: ParsedEmail): string[] =>
  [email.from, email.sender, ...(Array.isArray(email.replyTo) ? email.replyTo : [])]
    .map((entry) => (typeof entry?.address === 'string' ? entry.address.trim().toLowerCase() : ''))
    .filter((address) => address.includes('@'));

/**
 * Picks the ticket to append to. Message-ID matches win (In-Reply-To, then References),
 * then a bounce's original; a subject token only when a sender address is on the ticket.
 */
export const chooseThread = (
  email: ParsedEmail,
  hits: readonly ThreadHit[],
  options: { allowBounceOriginal: boolean },
): ThreadChoice => {
  const senders = new Set(senderAddresses(email));
  const onTicket = (hit: ThreadHit) =>
    Array.isArray(hit.participants) &&
    hit.participants.some((p) => typeof p === 'string' && senders.has(p.toLowerCase()));
  const list: readonly ThreadHit[] = Array.isArray(hits) ? hits : [];
  const valid = list.filter(
    (hit) =>
      typeof hit?.ticketId === 'string' &&
      hit.ticketId.length > 0 &&
      Object.prototype.hasOwnProperty.call(viaRank, hit.via),
  );
  const ranked = [...valid].sort(
    (a, b) =>
      viaRank[a.via] - viaRank[b.via] ||
      Number(onTicket(b)) - Number(onTicket(a)) ||
      (b.ticketNumber ?? 0) - (a.ticketNumber ?? 0),
  );
  let untrustedToken: ThreadHit | null = null;
  for (const hit of ranked) {
    if (hit.via === 'bounce_original' && !options.allowBounceOriginal) continue;
    if (hit.via === 'subject_token') {
      // Only tokens the subject really carries, and only from someone already on the ticket.
      if (!ticketNumbersInSubject(email.subject).includes(hit.ticketNumber)) continue;
      if (!onTicket(hit)) {
        untrustedToken ??= hit;
        continue;
      }
    }
    return { kind: 'append', hit };
  }
  return { kind: 'new', untrustedToken };
};
