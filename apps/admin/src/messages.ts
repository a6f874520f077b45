/**
 * The one place server error codes become words a user reads. Components
 * never show a server `detail` or branch on a status; they call messageFor().
 * A code missing here falls back to a generic sentence (and the code, so
 * support can find it).
 */
import { ApiError } from './api/api-error';

const messages: Record<string, string> = {
  'auth.invalid_credentials': 'That email address and password do not match an account.',
  'auth.unauthenticated': 'Your session has ended. Please sign in again.',
  'auth.invalid_api_key': 'The API key is not valid.',
  'auth.forbidden': 'Your role does not allow this.',
  'request.invalid': 'Some fields need your attention.',
  'route.not_found': 'This part of Mailroom is not available.',
  'health.database_unreachable':
    'Mailroom cannot reach its database right now. Please try again shortly.',
  'health.migrations_pending': 'Mailroom is being updated. Please try again shortly.',
  'internal.unexpected': 'Something went wrong on the server. Please try again.',
  'network.unreachable': 'Mailroom cannot be reached. Check your connection and try again.',
};

export function messageFor(error: unknown): string {
  if (error instanceof ApiError) {
    return messages[error.code] ?? `Something went wrong (${error.code}). Please try again.`;
  }
  return 'Something went wrong. Please try again.';
}

/** Per-field messages of a validation error, keyed by field path. */
export function fieldMessages(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  return Object.fromEntries(error.fieldErrors.map((issue) => [issue.path, issue.message]));
}
