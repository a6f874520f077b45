/** Error codes of the tickets feature; the error middleware turns them into problem+json. */
import { MailroomError } from '@mailroom/domain';

export const ticketNotFoundError = () =>
  new MailroomError('ticket.not_found', 'This ticket does not exist.', { kind: 'not_found' });

export const messageNotFoundError = () =>
  new MailroomError('ticket.message_not_found', 'This ticket has no such message.', {
    kind: 'not_found',
  });

export const attachmentNotFoundError = () =>
  new MailroomError('ticket.attachment_not_found', 'This ticket has no such attachment.', {
    kind: 'not_found',
  });
