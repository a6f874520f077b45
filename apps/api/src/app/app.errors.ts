/** Error codes that belong to the HTTP layer itself rather than to a feature. */
import { MailroomError, toFieldIssues } from '@mailroom/domain';

export const appErrorCodes = {
  requestInvalid: 'request.invalid',
  routeNotFound: 'route.not_found',
  unexpected: 'internal.unexpected',
} as const;

/**
 * A failure of a server we called on the caller's behalf (the mail server, Microsoft's
 * token endpoint): the request was fine, the upstream was not. Keeps the upstream's code
 * (`mail.auth_failed`) and is answered 502 instead of the status of its kind.
 */
export class UpstreamError extends MailroomError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, { kind: 'transient', details });
    this.name = 'UpstreamError';
  }
}

export const createValidationError = (
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): MailroomError =>
  new MailroomError(appErrorCodes.requestInvalid, 'The request has invalid fields.', {
    kind: 'invalid',
    issues: toFieldIssues(issues),
  });
