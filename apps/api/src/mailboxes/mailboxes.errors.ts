/**
 * Stable codes of the mailbox feature beyond not-found and version conflicts: a
 * configuration that cannot be tested or activated (422, one issue per problem) and
 * status changes that make no sense from the current status.
 */
import { MailroomError, type FieldIssue } from '@mailroom/domain';

export const mailboxErrorCodes = {
  configurationIncomplete: 'mailbox.configuration_incomplete',
  notActive: 'mailbox.not_active',
} as const;

export const configurationIncompleteError = (issues: FieldIssue[], message: string) =>
  new MailroomError(mailboxErrorCodes.configurationIncomplete, message, {
    kind: 'permanent',
    issues,
  });

export const notActiveError = () =>
  new MailroomError(
    mailboxErrorCodes.notActive,
    'This mailbox is a draft; activate it instead of pausing it.',
    { kind: 'conflict' },
  );
