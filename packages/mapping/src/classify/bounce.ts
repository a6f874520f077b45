/**
 * Bounces: delivery status notifications (RFC 3464) and the plain-text failure notices
 * of older MTAs. A report's Action fields decide: any `failed` recipient makes a bounce;
 * a report that only says `delayed` (still being retried) or `delivered`/`relayed` is an
 * automatic notice, not a bounce (see README, "Delayed delivery reports"). Subject words
 * and body sentences alone never make a bounce, since customers write them too ("Delivery
 * failed" to a shop's helpdesk): they need a second, machine-made signal.
 */
import type { Classification, ParsedEmail } from '@mailroom/domain';
import type { HeaderIndex } from '../headers';
import { findBouncePhrase } from './bounce-phrases';
import { findOriginalMessageId, readDeliveryStatus } from './reports';
import type { SubjectMatch } from './subject-prefixes';

const localPart = (address: string | undefined | null): string =>
  typeof address === 'string' ? (address.toLowerCase().split('@')[0] ?? '') : '';

const MAILER_DAEMON = /^(mailer[-_.]?daemon|mail[-_.]?daemon|mdaemon)$/;
const POSTMASTER = /^(post[-_.]?master|mail[-_.]?delivery[-_.]?(system|subsystem)?)$/;
const NO_REPLY = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply)([-_.+].*)?$/;
const DELIVERY_NAME = /^(mail delivery (sub)?system|mail administrator|postmaster)$/i;

const describeStatus = (actions: string[], statuses: string[]): string => {
  const counts = new Map<string, number>();
  for (const action of actions) counts.set(action, (counts.get(action) ?? 0) + 1);
  const parts = [...counts].map(([action, n]) =>
    n > 1 ? `Action: ${action} (${n} recipients)` : `Action: ${action}`,
  );
  if (parts.length === 0) parts.push('no Action field');
  if (statuses.length > 0) parts.push(`Status ${[...new Set(statuses)].join(', ')}`);
  return parts.join(', ');
};

/** A delivery status notification, judged by its Action fields; null when the mail is none. */
export const deliveryReportRule = (email: ParsedEmail): Classification => {
  const { actions, statuses } = readDeliveryStatus(email);
  const originalMessageId = findOriginalMessageId(email);
  const evidence = describeStatus(actions, statuses);
  if (actions.includes('failed')) {
    return { kind: 'bounce', rule: 'report:delivery-status', evidence, originalMessageId };
  }
  if (actions.length === 0) {
    // A report without Action fields (broken or truncated): the status class decides; with
    // nothing to go on it is still a delivery report about a failure to deliver.
    const transient = statuses.length > 0 && statuses.every((status) => status.startsWith('4.'));
    const success = statuses.length > 0 && statuses.every((status) => status.startsWith('2.'));
    if (transient) {
      return {
        kind: 'auto_reply',
        rule: 'report:delivery-status:delayed',
        evidence,
        originalMessageId,
      };
    }
    if (success) {
      return {
        kind: 'auto_reply',
        rule: 'report:delivery-status:delivered',
        evidence,
        originalMessageId,
      };
    }
    return { kind: 'bounce', rule: 'report:delivery-status', evidence, originalMessageId };
  }
  if (actions.includes('delayed')) {
    return {
      kind: 'auto_reply',
      rule: 'report:delivery-status:delayed',
      evidence,
      originalMessageId,
    };
  }
  return {
    kind: 'auto_reply',
    rule: 'report:delivery-status:delivered',
    evidence,
    originalMessageId,
  };
};

/**
 * A sign that a machine, not a person, wrote the mail: null sender, Auto-Submitted, an MTA,
 * postmaster or no-reply sender. Null when there is none.
 */
export const machineSignal = (email: ParsedEmail, headers: HeaderIndex): string | null => {
  const returnPath = typeof email.returnPath === 'string' ? email.returnPath.trim() : null;
  if (returnPath === '' || returnPath === '<>') return 'Return-Path: <>';
  for (const value of headers.all('return-path')) {
    if (/^<\s*>$/.test(value.trim())) return 'Return-Path: <>';
  }
  const submitted = headers.all('auto-submitted').find((value) => !/^no\b/i.test(value.trim()));
  if (submitted !== undefined) return `Auto-Submitted: ${submitted}`;
  const from = email.from;
  const local = localPart(from?.address);
  if (MAILER_DAEMON.test(local) || POSTMASTER.test(local) || NO_REPLY.test(local))
    return `the sender is ${from?.address}`;
  if (typeof from?.name === 'string' && DELIVERY_NAME.test(from.name.trim()))
    return `the sender is "${from.name}"`;
  return null;
};

/** The original message attached the way bounces attach it; a weaker sign than machineSignal(). */
const attachedOriginal = (email: ParsedEmail): string | null => {
  const attachments = Array.isArray(email.attachments) ? email.attachments : [];
  const original = attachments.find((a) =>
    /^(message\/(rfc822|global)|text\/rfc822-headers)$/i.test(
      typeof a?.contentType === 'string' ? a.contentType : '',
    ),
  );
  return original ? `the original message is attached (${original.contentType})` : null;
};

/** Bounces that are not RFC 3464 reports: Exim's header, MTA senders, failure subjects. */
export const bounceHeuristicRule = (
  email: ParsedEmail,
  headers: HeaderIndex,
  subject: SubjectMatch | null,
): Classification | null => {
  const failed = headers.first('x-failed-recipients');
  if (failed !== null) {
    return {
      kind: 'bounce',
      rule: 'header:x-failed-recipients',
      evidence: `X-Failed-Recipients: ${failed.slice(0, 200)}`,
      originalMessageId: findOriginalMessageId(email),
    };
  }
  const sender = email.from?.address ?? '';
  const fromDaemon = MAILER_DAEMON.test(localPart(sender));
  const signal = machineSignal(email, headers);
  if (subject?.signal === 'delayed' && (fromDaemon || signal !== null)) {
    return {
      kind: 'auto_reply',
      rule: subject.rule,
      evidence: `Subject starts with "${subject.phrase}" (a delay warning, not a failure)`,
      originalMessageId: findOriginalMessageId(email),
    };
  }
  if (fromDaemon) {
    return {
      kind: 'bounce',
      rule: 'sender:mailer-daemon',
      evidence: `From: ${sender}`,
      originalMessageId: findOriginalMessageId(email),
    };
  }
  if (subject?.signal === 'bounce') {
    const support = signal ?? attachedOriginal(email);
    if (support !== null) {
      return {
        kind: 'bounce',
        rule: subject.rule,
        evidence: `Subject starts with "${subject.phrase}", and ${support}`,
        originalMessageId: findOriginalMessageId(email),
      };
    }
  }
  if (signal !== null) {
    const phrase = findBouncePhrase(typeof email.text === 'string' ? email.text : '');
    if (phrase) {
      return {
        kind: 'bounce',
        rule: `body:${phrase.lang}:failure-notice`,
        evidence: `the text says "${phrase.phrase}", and ${signal}`,
        originalMessageId: findOriginalMessageId(email),
      };
    }
  }
  return null;
};
