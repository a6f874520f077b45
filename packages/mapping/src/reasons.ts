/**
 * Every reason code a decision can carry, and the sentence an admin reads for it. Codes
 * are stable: the ledger stores them and the UI and alerts key on them, so add new ones
 * but never rename or reuse one.
 */
import type { MailClass } from '@mailroom/domain';

export const reasonCodes = [
  'skipped.loop',
  'skipped.sender_excluded',
  'skipped.keyword',
  'skipped.auto_reply',
  'skipped.bounce',
  'skipped.bulk',
  'skipped.complaint',
  'skipped.domain_not_allowed',
  'appended.in_reply_to',
  'appended.references',
  'appended.subject_token',
  'appended.bounce_original',
  'created.new_thread',
  'created.subject_token_untrusted',
  'quarantined.unparseable',
  'quarantined.too_large',
  'quarantined.no_sender',
  'quarantined.mapping_invalid',
] as const;
export type ReasonCode = (typeof reasonCodes)[number];

export const classLabels: Record<Exclude<MailClass, 'normal'>, string> = {
  auto_reply: 'auto-reply',
  bounce: 'bounce',
  bulk: 'bulk mail',
  complaint: 'spam complaint',
};

/** The evidence as the second half of a reason: "header Auto-Submitted: auto-replied". */
export const describeEvidence = (rule: string | null, evidence: string | null): string => {
  if (evidence === null) return rule ?? 'built-in detection';
  if (rule?.startsWith('header:')) return `header ${evidence}`;
  if (rule?.startsWith('report:delivery-status')) return `delivery status report (${evidence})`;
  return evidence;
};

export const formatBytes = (bytes: number): string => {
  if (!Number.isFinite(bytes) || bytes < 0) return 'unknown size';
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
};
