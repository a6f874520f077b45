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
  'mailbox.not_found': 'This mailbox does not exist (any more).',
  'mailbox.version_conflict':
    'Someone else saved this mailbox while you were editing. Reload it to see their changes, then make yours again.',
  'mailbox.configuration_incomplete':
    'Some settings are still missing. Complete the items listed below, save, and try again.',
  'mailbox.not_active': 'Only an active mailbox can be paused. This one is still a draft.',
  'ticket.not_found': 'This ticket does not exist or is not yours to see.',
  'template.not_found': 'The chosen ticket template no longer exists. Choose another one.',
  'template.not_published':
    'The chosen ticket template is not published. Publish it or choose another one.',
  'oauth.not_configured':
    'Fill in the directory (tenant) id, client id and redirect URL, save, then sign in with Microsoft.',
  'oauth.state_invalid':
    'The Microsoft sign-in took too long or was started elsewhere. Please try again.',
  // Connection problems (the mail package's taxonomy): what the admin can do about each.
  'mail.dns_not_found': 'The server name could not be found. Check the host name for typos.',
  'mail.connection_refused':
    'The server refused the connection. Check the port and that the server accepts IMAP from Mailroom.',
  'mail.timeout':
    'The server did not answer in time. Check host, port and firewall, or raise the connection timeout.',
  'mail.tls_untrusted_certificate':
    'The server’s certificate is not trusted. Use a certificate from a public authority, paste the server’s certificate, or trust its self-signed certificate for this mailbox.',
  'mail.tls_hostname_mismatch':
    'The server’s certificate is for a different name. Use the host name the certificate was issued for.',
  'mail.tls_protocol_mismatch':
    'The TLS mode does not match the port: use implicit TLS on 993 and STARTTLS on 143.',
  'mail.auth_failed': 'The server rejected the user name or password. Check both and try again.',
  'mail.oauth_reauth_required':
    'Microsoft needs you to sign in again (the authorization was revoked or expired). Click “Sign in with Microsoft”.',
  'mail.oauth_invalid_client':
    'Microsoft rejected the application: check the client id and client secret (it may have expired) in Entra ID.',
  'mail.oauth_endpoint_unreachable':
    'The Microsoft token endpoint could not be reached. Check the token endpoint and the network, then try again.',
  'mail.folder_not_found':
    'A mapped folder does not exist on the server. Run Test Connection and pick folders from the list.',
  'mail.server_error':
    'The mail server reported an error. Try again later or ask its administrator.',
  'mail.invalid_configuration':
    'The connection settings are incomplete. Complete the marked fields.',
};

/** Sentences for the worker's last error on a mailbox; falls back to the server's own sentence. */
export function mailErrorText(code: string | null, serverMessage: string | null): string | null {
  if (code && messages[code]) return messages[code];
  if (code && messages[`mail.${code}`]) return messages[`mail.${code}`] ?? null;
  return serverMessage;
}

/** The words for a server code, if Mailroom has its own; else null. */
export function textForCode(code: string): string | null {
  return messages[code] ?? null;
}

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
