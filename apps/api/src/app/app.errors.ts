/** Error codes that belong to the HTTP layer itself rather than to a feature. */
import { MailroomError, toFieldIssues } from '@mailroom/domain';

export const appErrorCodes = {
  requestInvalid: 'request.invalid',
  routeNotFound: 'route.not_found',
  unexpected: 'internal.unexpected',
} as const;

export const createValidationError = (
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): MailroomError =>
  new MailroomError(appErrorCodes.requestInvalid, 'The request has invalid fields.', {
    kind: 'invalid',
    issues: toFieldIssues(issues),
  });
