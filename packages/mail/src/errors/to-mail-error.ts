/**
 * Pure mapping from whatever imapflow, node (net, tls, dns), nodemailer or msal-node threw to
 * the mail error taxonomy. It looks only at error codes and flags, never at stack traces, so it
 * is table-tested without any I/O. Raw library text goes only into `details.cause`, scrubbed.
 */
import type { TlsMode } from '@mailroom/domain';
import { MailroomError } from '@mailroom/domain';
import {
  createMailError,
  mailErrorCodeOf,
  type MailErrorCode,
  type MailPhase,
} from './mail-errors';
import { createScrubber, type Scrub } from './secret-scrubber';

export interface MailErrorContext {
  phase: MailPhase;
  host?: string;
  port?: number;
  username?: string;
  tls?: TlsMode;
  timeoutMs?: number;
  folder?: string;
  authMethod?: 'password' | 'oauth2';
  /** Host of the OAuth token endpoint, for oauth_endpoint_unreachable. */
  tokenEndpointHost?: string;
  /** Secrets known to the caller, removed from anything kept from the original error. */
  secrets?: Iterable<string | undefined>;
}

type Loose = Record<string, unknown>;

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value : undefined;

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_NONAME', 'EAI_FAIL']);
const REFUSED_CODES = new Set(['ECONNREFUSED']);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EHOSTDOWN']);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'ETIMEOUT',
  'CONNECT_TIMEOUT',
  'GREETING_TIMEOUT',
  'UPGRADE_TIMEOUT',
  'LockTimeout',
  'ESOCKET_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
]);
const CLOSED_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'EConnectionClosed',
  'NoConnection',
  'ClosedAfterConnectText',
  'ClosedAfterConnectTLS',
]);
const UNTRUSTED_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'INVALID_CA',
  'CERT_REJECTED',
]);
const HOSTNAME_CODES = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_TLS_CERT_ALTNAME_FORMAT']);
const TLS_PROTOCOL_TEXT =
  /wrong version number|packet length too long|unknown protocol|unsupported protocol|http request|record layer failure|handshake failure|no protocols available|protocol version/i;

/** MSAL error codes (the OAuth `error` field or MSAL's own) meaning "sign in again". */
const REAUTH_OAUTH_CODES = new Set([
  'invalid_grant',
  'interaction_required',
  'consent_required',
  'login_required',
  'no_tokens_found',
  'no_account_found',
  'refresh_token_expired',
  'bad_token',
  'native_account_unavailable',
]);
const INVALID_CLIENT_OAUTH_CODES = new Set([
  'invalid_client',
  'unauthorized_client',
  'invalid_scope',
  'invalid_resource',
  'unsupported_grant_type',
]);
const ENDPOINT_OAUTH_CODES = new Set([
  'network_error',
  'endpoints_resolution_error',
  'openid_config_error',
  'temporarily_unavailable',
  'server_error',
  'token_refresh_required_timeout',
]);
const AADSTS_REAUTH = new Set([
  '65001', // consent not granted or revoked
  '70008', // code or refresh token expired
  '700082', // refresh token expired after inactivity
  '700084', // SPA refresh token expired
  '50173', // grant revoked (password changed)
  '50076', // MFA now required
  '50079', // MFA registration required
  '50078', // MFA expired
  '50132', // session revoked
  '50133', // session invalid after password change
  '70000', // invalid grant
  '54005', // code already redeemed
]);
const AADSTS_INVALID_CLIENT = new Set([
  '7000222', // client secret expired
  '7000215', // invalid client secret
  '700016', // application not found in the directory
  '90002', // tenant not found
  '900023', // tenant id malformed
  '700024', // client assertion invalid
  '7000112', // application disabled
  '50194', // app not configured as multi-tenant
  '500011', // resource principal not found in tenant
]);

const AADSTS_REASONS: Record<string, string> = {
  '65001': 'consent for the app was revoked or never granted',
  '70008': 'the authorization has expired',
  '700082': 'the refresh token expired after a long time without use',
  '50173': 'the grant was revoked, for example after a password change',
  '50076': 'multi-factor authentication is now required',
  '7000222': 'the client secret has expired',
  '7000215': 'the client secret is wrong',
  '700016': 'the application (client) id is not known in this directory',
  '90002': 'the directory (tenant) id was not found',
  '900023': 'the directory (tenant) id is not valid',
};

const aadstsCodes = (text: string | undefined): string[] =>
  text === undefined ? [] : [...text.matchAll(/AADSTS(\d{5,7})/g)].map((match) => match[1] ?? '');

const isMsalError = (error: Loose): boolean =>
  typeof error.errorCode === 'string' &&
  (['ServerError', 'ClientAuthError', 'InteractionRequiredAuthError', 'AuthError'].includes(
    String(error.name),
  ) ||
    'correlationId' in error ||
    'subError' in error);

const where = (context: MailErrorContext): string =>
  context.host === undefined
    ? 'the server'
    : context.port === undefined
      ? context.host
      : `${context.host}:${context.port}`;

const phaseLabels: Record<MailPhase, string> = {
  configure: 'checking the settings',
  resolve: 'the DNS lookup',
  token: 'an access token',
  connect: 'the TCP connection',
  tls: 'the TLS handshake',
  greeting: 'the server greeting',
  authenticate: 'the login',
  list_folders: 'the folder list',
  open_folder: 'opening the folder',
  fetch: 'fetching messages',
  flags: 'changing message flags',
  move: 'moving messages',
  idle: 'waiting for new mail',
  send: 'sending mail',
};

export const describePhase = (phase: MailPhase): string => phaseLabels[phase];

interface Classified {
  code: MailErrorCode;
  message: string;
  extra?: Record<string, unknown>;
}

const timeoutMessage = (context: MailErrorContext): string => {
  const within = context.timeoutMs === undefined ? 'in time' : `within ${context.timeoutMs} ms`;
  const base = `${where(context)} did not answer ${within} during ${describePhase(context.phase)}.`;
  if (context.phase === 'greeting' && context.tls !== 'implicit') {
    return `${base} If this port expects implicit TLS (usually 993), choose implicit TLS; otherwise check the host, the port and the firewall, or raise the connection timeout.`;
  }
  if (context.phase === 'token') {
    return `The token endpoint did not answer ${within}. Check the token endpoint and the network, or raise the connection timeout.`;
  }
  return `${base} Check the host, the port and the TLS mode, or raise the connection timeout.`;
};

const classifyOAuth = (error: Loose, context: MailErrorContext): Classified => {
  const errorCode = String(error.errorCode);
  const text = `${str(error.errorMessage) ?? ''} ${str(error.message) ?? ''} ${str(error.subError) ?? ''}`;
  const codes = aadstsCodes(text);
  const aadsts = codes[0];
  const reason = codes.map((code) => AADSTS_REASONS[code]).find((value) => value !== undefined);
  const extra = {
    oauthError: errorCode,
    ...(aadsts === undefined ? {} : { aadsts: `AADSTS${aadsts}` }),
  };
  if (
    codes.some((code) => AADSTS_INVALID_CLIENT.has(code)) ||
    INVALID_CLIENT_OAUTH_CODES.has(errorCode)
  ) {
    return {
      code: 'oauth_invalid_client',
      message: `Microsoft rejected the app registration (${reason ?? errorCode.replace(/_/g, ' ')}). Check the directory (tenant) id and client id, and create a new client secret if it expired.`,
      extra,
    };
  }
  if (codes.some((code) => AADSTS_REAUTH.has(code)) || REAUTH_OAUTH_CODES.has(errorCode)) {
    return {
      code: 'oauth_reauth_required',
      message: `Microsoft no longer accepts the stored authorization for ${context.username ?? 'this mailbox'} (${reason ?? 'the refresh token is expired or revoked'}). Sign in with Microsoft again, or paste a new refresh token.`,
      extra,
    };
  }
  if (
    ENDPOINT_OAUTH_CODES.has(errorCode) ||
    (typeof error.status === 'number' && error.status >= 500)
  ) {
    return {
      code: 'oauth_endpoint_unreachable',
      message: `The token endpoint${context.tokenEndpointHost === undefined ? '' : ` at ${context.tokenEndpointHost}`} could not be reached or is unavailable. Check the token endpoint setting and the network; the channel retries on its own.`,
      extra,
    };
  }
  if (
    [
      'untrusted_authority',
      'invalid_authority',
      'url_parse_error',
      'empty_url_error',
      'authority_uri_insecure',
      'invalid_authority_metadata',
      'invalid_cloud_discovery_metadata',
    ].includes(errorCode)
  ) {
    return {
      code: 'invalid_configuration',
      message:
        'The token endpoint or directory (tenant) id is not valid. Use an https:// token endpoint URL and the tenant id from the Azure portal.',
      extra,
    };
  }
  return {
    code: 'oauth_invalid_client',
    message: `Microsoft refused the token request (${reason ?? errorCode.replace(/_/g, ' ')}). Check the app registration, its permissions and the scope.`,
    extra,
  };
};

/** nodemailer reports socket and TLS failures as ESOCKET / ETLS / ECONNECTION with node's text only. */
const WRAPPER_CODES = new Set(['ESOCKET', 'ETLS', 'ECONNECTION', 'EPROTO', 'EDNS']);
const CODE_BY_TEXT: Array<[RegExp, string]> = [
  [/self[- ]signed certificate in certificate chain/i, 'SELF_SIGNED_CERT_IN_CHAIN'],
  [/self[- ]signed certificate/i, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  [/unable to verify the first certificate/i, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
  [/unable to get local issuer certificate/i, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'],
  [/certificate has expired/i, 'CERT_HAS_EXPIRED'],
  [/certificate is not yet valid/i, 'CERT_NOT_YET_VALID'],
  [/does not match certificate's altnames|altnames/i, 'ERR_TLS_CERT_ALTNAME_INVALID'],
  [/ECONNREFUSED/, 'ECONNREFUSED'],
  [/ENOTFOUND|EAI_AGAIN|getaddrinfo/, 'ENOTFOUND'],
  [/ETIMEDOUT|timed? ?out/i, 'ETIMEDOUT'],
  [/ECONNRESET|socket hang up/i, 'ECONNRESET'],
];

const effectiveCode = (error: Loose, text: string): string => {
  const code = str(error.code) ?? '';
  if (code === 'EDNS') return 'ENOTFOUND';
  if (!WRAPPER_CODES.has(code)) return code;
  if (code === 'EPROTO' && TLS_PROTOCOL_TEXT.test(text)) return code;
  return CODE_BY_TEXT.find(([pattern]) => pattern.test(text))?.[1] ?? code;
};

const classify = (error: Loose, context: MailErrorContext): Classified => {
  if (isMsalError(error)) return classifyOAuth(error, context);

  const text = `${str(error.message) ?? ''} ${str(error.reason) ?? ''}`;
  const code = effectiveCode(error, text);
  const serverCode = str(error.serverResponseCode)?.toUpperCase();

  if (DNS_CODES.has(code)) {
    return {
      code: 'dns_not_found',
      message: `The host name "${context.host ?? 'of the server'}" could not be found in DNS. Check the server name for typos.`,
    };
  }
  if (REFUSED_CODES.has(code)) {
    return {
      code: 'connection_refused',
      message: `${where(context)} refused the connection. Check the port (IMAP uses 993 for implicit TLS and 143 for STARTTLS) and that the server accepts connections from here.`,
    };
  }
  if (UNREACHABLE_CODES.has(code)) {
    return {
      code: 'connection_refused',
      message: `${where(context)} cannot be reached from this server (${code}). Check the host name and the network or firewall.`,
    };
  }
  if (TIMEOUT_CODES.has(code)) {
    const phase: MailPhase =
      code === 'GREETING_TIMEOUT' ? 'greeting' : code === 'UPGRADE_TIMEOUT' ? 'tls' : context.phase;
    return { code: 'timeout', message: timeoutMessage({ ...context, phase }), extra: { phase } };
  }
  if (UNTRUSTED_CERT_CODES.has(code)) {
    const why =
      code === 'CERT_HAS_EXPIRED'
        ? 'it has expired'
        : code === 'CERT_NOT_YET_VALID'
          ? 'it is not valid yet'
          : code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN'
            ? 'it is self-signed'
            : 'it is not issued by a trusted certificate authority';
    return {
      code: 'tls_untrusted_certificate',
      message: `The TLS certificate of ${context.host ?? 'the server'} is not trusted: ${why}. Install a certificate from a public CA on the server, or trust this server's certificate for this mailbox (paste its PEM or allow a self-signed certificate).`,
      extra: { certificateError: code },
    };
  }
  if (HOSTNAME_CODES.has(code) || code === 'HOSTNAME_MISMATCH') {
    return {
      code: 'tls_hostname_mismatch',
      message: `The TLS certificate of ${context.host ?? 'the server'} is issued for a different host name. Connect with the name the certificate was issued for.`,
    };
  }
  if (
    code.startsWith('ERR_SSL_') ||
    (code === 'EPROTO' && TLS_PROTOCOL_TEXT.test(text)) ||
    TLS_PROTOCOL_TEXT.test(code)
  ) {
    return {
      code: 'tls_protocol_mismatch',
      message: `TLS could not be negotiated with ${where(context)}: the port probably expects a different TLS mode. Use implicit TLS on port 993 and STARTTLS on port 143.`,
    };
  }
  if (error.tlsFailed === true && /STARTTLS/i.test(text)) {
    return {
      code: 'tls_protocol_mismatch',
      message: `${where(context)} does not offer STARTTLS. Choose implicit TLS (usually port 993), or plaintext only on a trusted network.`,
    };
  }
  if (code === 'STARTTLS_INJECTION') {
    return {
      code: 'tls_protocol_mismatch',
      message: `Something between this server and ${where(context)} tampered with the STARTTLS upgrade. Use implicit TLS (port 993) and check the network path.`,
    };
  }
  if (
    error.authenticationFailed === true ||
    serverCode === 'AUTHENTICATIONFAILED' ||
    serverCode === 'AUTHORIZATIONFAILED' ||
    code === 'EAUTH'
  ) {
    const user = context.username === undefined ? 'the mailbox user' : `"${context.username}"`;
    return context.authMethod === 'oauth2'
      ? {
          code: 'auth_failed',
          message: `The server refused the Microsoft access token for ${user}. Check that the app has the IMAP permission (IMAP.AccessAsUser.All, or IMAP.AccessAsApp with a mailbox permission for app-only access) and that IMAP is enabled for the mailbox.`,
        }
      : {
          code: 'auth_failed',
          message: `The server refused the login for ${user}. Check the user name and the password.`,
        };
  }
  if (
    error.mailboxMissing === true ||
    serverCode === 'NONEXISTENT' ||
    serverCode === 'TRYCREATE' ||
    code === 'NotFound'
  ) {
    return {
      code: 'folder_not_found',
      message: `The folder "${context.folder ?? str(error.path) ?? 'requested'}" does not exist on the server. Choose an existing folder in the folder mapping.`,
    };
  }
  if (CLOSED_CODES.has(code)) {
    if (
      context.phase === 'tls' ||
      (code === 'ClosedAfterConnectTLS' && context.phase === 'connect')
    ) {
      return {
        code: 'tls_protocol_mismatch',
        message: `${where(context)} closed the connection during the TLS handshake: the port probably expects a different TLS mode. Use implicit TLS on port 993 and STARTTLS on port 143.`,
      };
    }
    if (code === 'ClosedAfterConnectText' && context.tls !== 'implicit') {
      return {
        code: 'tls_protocol_mismatch',
        message: `${where(context)} closed the connection without a greeting: the port probably expects implicit TLS. Choose implicit TLS (usually port 993).`,
      };
    }
    return {
      code: 'server_error',
      message: `${where(context)} closed the connection during ${describePhase(context.phase)}. The channel retries on its own; if it keeps happening, check the server's logs and limits.`,
    };
  }
  if (serverCode === 'UNAVAILABLE' || code === 'ETHROTTLE' || serverCode === 'LIMIT') {
    return {
      code: 'server_error',
      message: `${where(context)} is temporarily unavailable or throttling this connection. The channel retries on its own.`,
    };
  }
  const responseStatus = str(error.responseStatus);
  return {
    code: 'server_error',
    message: `${where(context)} answered with an error during ${describePhase(context.phase)}${responseStatus === undefined ? '' : ` (${responseStatus}${serverCode === undefined ? '' : ` ${serverCode}`})`}. The channel retries on its own; if it keeps happening, check the server.`,
  };
};

const causeSummary = (error: Loose, scrub: Scrub): Record<string, unknown> => {
  const summary: Record<string, unknown> = {};
  for (const key of [
    'name',
    'code',
    'errorCode',
    'serverResponseCode',
    'responseStatus',
    'status',
  ]) {
    const value = error[key];
    if (typeof value === 'string' || typeof value === 'number') summary[key] = value;
  }
  const message = str(error.message);
  if (message !== undefined) summary.message = scrub(message).slice(0, 300);
  const responseText = str(error.responseText) ?? str(error.response);
  if (responseText !== undefined) summary.serverText = scrub(responseText).slice(0, 300);
  return summary;
};

/**
 * Maps anything thrown during `phase` to a `mail.*` MailroomError. A MailroomError that already
 * has a mail code is returned unchanged, so the mapping can be applied at every layer.
 */
export const toMailError = (
  error: unknown,
  phaseOrContext: MailPhase | MailErrorContext,
): MailroomError => {
  if (mailErrorCodeOf(error) !== null) return error as MailroomError;
  const context: MailErrorContext =
    typeof phaseOrContext === 'string' ? { phase: phaseOrContext } : phaseOrContext;
  const loose: Loose =
    error !== null && typeof error === 'object'
      ? (error as Loose)
      : { message: typeof error === 'string' ? error : String(error) };
  if (error instanceof MailroomError) {
    // Another package's error (e.g. a validation error) passing through a mail operation.
    return error;
  }
  const classified = classify(loose, context);
  const scrub = createScrubber(context.secrets ?? []);
  return createMailError(classified.code, classified.message, {
    phase: context.phase,
    ...(context.host === undefined ? {} : { host: context.host }),
    ...(context.port === undefined ? {} : { port: context.port }),
    ...classified.extra,
    cause: causeSummary(loose, scrub),
  });
};
