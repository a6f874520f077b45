/**
 * Sorts every email into normal / auto_reply / bounce / bulk / complaint and names the rule
 * that fired. Rules run from the most to the least specific (machine-readable reports,
 * then MTA signals, then RFC 3834 headers, then subjects, then bulk markers), so the first
 * hit is the best explanation for an admin. Pure and total: any ParsedEmail, however
 * broken, gets a classification.
 */
import type { Classification, ParsedEmail } from '@mailroom/domain';
import { indexHeaders } from '../headers';
import { autoReplyHeaderRule } from './auto-reply-headers';
import { bounceHeuristicRule, deliveryReportRule, machineSignal } from './bounce';
import { bulkRule } from './bulk';
import { complaintRule } from './complaint';
import { findOriginalMessageId, reportTypeOf } from './reports';
import { matchSubjectPrefix } from './subject-prefixes';

export interface ClassifyOptions {
  /** The admin's extra subject keywords (case-insensitive substrings) that mark an auto-reply. */
  keywords?: readonly string[];
}

export const NORMAL: Classification = { kind: 'normal', rule: null, evidence: null };

const subjectOf = (email: ParsedEmail): string =>
  typeof email.subject === 'string' ? email.subject : '';

/** The admin keyword the subject contains, or null. */
export const matchKeyword = (
  subject: string,
  keywords: readonly string[] | undefined,
): string | null => {
  if (!Array.isArray(keywords) || keywords.length === 0) return null;
  const haystack = subject.normalize('NFKC').toLowerCase();
  for (const keyword of keywords) {
    if (typeof keyword !== 'string') continue;
    const needle = keyword.normalize('NFKC').toLowerCase().trim();
    if (needle.length > 0 && haystack.includes(needle)) return keyword;
  }
  return null;
};

export const classify = (email: ParsedEmail, options: ClassifyOptions = {}): Classification => {
  const headers = indexHeaders(email.headers);
  const subject = subjectOf(email);

  const report = reportTypeOf(email);
  if (report === 'feedback-report') return complaintRule(email);
  if (report === 'delivery-status') return deliveryReportRule(email);
  if (report === 'disposition-notification') {
    return {
      kind: 'auto_reply',
      rule: 'report:disposition-notification',
      evidence: 'a read receipt (multipart/report; report-type=disposition-notification)',
      originalMessageId: findOriginalMessageId(email),
    };
  }

  const prefix = matchSubjectPrefix(subject);
  const bounce = bounceHeuristicRule(email, headers, prefix);
  if (bounce) return bounce;

  const header = autoReplyHeaderRule(headers);
  if (header) return header;

  if (prefix?.signal === 'auto_reply') {
    return {
      kind: 'auto_reply',
      rule: prefix.rule,
      evidence: `Subject starts with "${prefix.phrase}"`,
    };
  }

  const keyword = matchKeyword(subject, options.keywords);
  if (keyword !== null) {
    return {
      kind: 'auto_reply',
      rule: 'keyword',
      evidence: `Subject contains the keyword "${keyword}"`,
    };
  }

  const bulk = bulkRule(headers);
  if (bulk) return bulk;

  const signal = machineSignal(email, headers);
  if (signal === 'Return-Path: <>') {
    return {
      kind: 'auto_reply',
      rule: 'header:return-path-null',
      evidence: 'Return-Path: <> (sent by a machine, not a person)',
    };
  }
  return NORMAL;
};
