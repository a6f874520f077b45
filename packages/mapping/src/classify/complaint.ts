/**
 * Spam complaints and other feedback reports (ARF, RFC 5965) that mailbox providers send
 * back through feedback loops. They are about a mail we sent, never a customer's request.
 */
import type { Classification, ParsedEmail } from '@mailroom/domain';
import { findOriginalMessageId, readFeedbackType } from './reports';

export const complaintRule = (email: ParsedEmail): Classification => {
  const feedbackType = readFeedbackType(email);
  return {
    kind: 'complaint',
    rule: 'report:feedback-report',
    evidence: feedbackType
      ? `feedback report, Feedback-Type: ${feedbackType}`
      : 'multipart/report; report-type=feedback-report',
    originalMessageId: findOriginalMessageId(email),
  };
};
