/**
 * The mail package's error taxonomy: every failure of a mailbox connection becomes one
 * MailroomError with a stable `mail.<code>` code, a sentence an admin can act on, the phase it
 * happened in, and a retry class for the worker. Messages are built from settings (host, port,
 * user name), never from raw library text, so no secret can reach them.
 */
import { MailroomError, type ErrorKind } from '@mailroom/domain';

export const mailErrorCodes = [
  'dns_not_found',
  'connection_refused',
  'timeout',
  'tls_untrusted_certificate',
  'tls_hostname_mismatch',
  'tls_protocol_mismatch',
  'auth_failed',
  'oauth_reauth_required',
  'oauth_invalid_client',
  'oauth_endpoint_unreachable',
  'folder_not_found',
  'server_error',
  /** The settings cannot work as given (missing password, http:// token endpoint, ...). */
  'invalid_configuration',
] as const;
export type MailErrorCode = (typeof mailErrorCodes)[number];

/** Where in a mailbox conversation something failed; also the names of Test Connection steps. */
export const mailPhases = [
  'configure',
  'resolve',
  'token',
  'connect',
  'tls',
  'greeting',
  'authenticate',
  'list_folders',
  'open_folder',
  'fetch',
  'flags',
  'move',
  'idle',
  'send',
] as const;
export type MailPhase = (typeof mailPhases)[number];

/** What the worker does next: retry with backoff, stop until an admin re-authorizes, or stop until the settings change. */
export type FailureClass = 'transient' | 'auth' | 'permanent';

const failureClassByCode: Record<MailErrorCode, FailureClass> = {
  // A host that vanished from DNS is far more often an outage than a settings change: the
  // worker's max tries and cool-off bound the retries, and Test Connection catches typos.
  dns_not_found: 'transient',
  connection_refused: 'transient',
  timeout: 'transient',
  tls_untrusted_certificate: 'permanent',
  tls_hostname_mismatch: 'permanent',
  tls_protocol_mismatch: 'permanent',
  auth_failed: 'auth',
  oauth_reauth_required: 'auth',
  oauth_invalid_client: 'auth',
  oauth_endpoint_unreachable: 'transient',
  folder_not_found: 'permanent',
  server_error: 'transient',
  invalid_configuration: 'permanent',
};

const kindByClass: Record<FailureClass, ErrorKind> = {
  transient: 'transient',
  // Not 'unauthorized': the mail server refused the mailbox, not the API caller.
  auth: 'permanent',
  permanent: 'permanent',
};

export const MAIL_ERROR_PREFIX = 'mail.';

export const isMailErrorCode = (value: string): value is MailErrorCode =>
  (mailErrorCodes as readonly string[]).includes(value);

/** The short code (`timeout`) of a MailroomError from this package, or null. */
export const mailErrorCodeOf = (error: unknown): MailErrorCode | null => {
  if (!(error instanceof MailroomError) || !error.code.startsWith(MAIL_ERROR_PREFIX)) return null;
  const code = error.code.slice(MAIL_ERROR_PREFIX.length);
  return isMailErrorCode(code) ? code : null;
};

export interface MailErrorDetails {
  phase: MailPhase;
  [key: string]: unknown;
}

export const createMailError = (
  code: MailErrorCode,
  message: string,
  details: MailErrorDetails,
): MailroomError => {
  const failureClass = failureClassByCode[code];
  return new MailroomError(`${MAIL_ERROR_PREFIX}${code}`, message, {
    kind: code === 'invalid_configuration' ? 'invalid' : kindByClass[failureClass],
    details: { ...details, failureClass },
  });
};

/**
 * The worker's retry decision for any error. Errors from this package carry their class;
 * anything else (a bug, an unexpected library error) is retried with backoff, bounded by the
 * mailbox's max tries, rather than parking the mailbox forever.
 */
export const classifyFailure = (error: unknown): FailureClass => {
  const code = mailErrorCodeOf(error);
  return code === null ? 'transient' : failureClassByCode[code];
};
