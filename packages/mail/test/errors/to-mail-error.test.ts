import { describe, expect, it } from 'vitest';
import { MailroomError } from '@mailroom/domain';
import {
  classifyFailure,
  createMailError,
  mailErrorCodeOf,
  toMailError,
  type MailErrorContext,
  type MailPhase,
} from '../../src/index';

const context = (phase: MailPhase, extra: Partial<MailErrorContext> = {}): MailErrorContext => ({
  phase,
  host: 'imap.example.com',
  port: 993,
  username: 'support@example.com',
  tls: 'implicit',
  timeoutMs: 5000,
  ...extra,
});

const nodeError = (code: string, message = code) => Object.assign(new Error(message), { code });
const msal = (name: string, errorCode: string, errorMessage = '') => ({
  name,
  errorCode,
  errorMessage,
  subError: '',
  correlationId: 'c0ffee',
  message: `${errorCode}: ${errorMessage}`,
});

const table: Array<[string, unknown, MailErrorContext, string, string]> = [
  ['dns ENOTFOUND', nodeError('ENOTFOUND'), context('resolve'), 'dns_not_found', 'transient'],
  ['dns EAI_AGAIN', nodeError('EAI_AGAIN'), context('resolve'), 'dns_not_found', 'transient'],
  ['refused', nodeError('ECONNREFUSED'), context('connect'), 'connection_refused', 'transient'],
  ['unreachable', nodeError('EHOSTUNREACH'), context('connect'), 'connection_refused', 'transient'],
  [
    'imapflow connect timeout',
    nodeError('CONNECT_TIMEOUT'),
    context('connect'),
    'timeout',
    'transient',
  ],
  [
    'imapflow greeting timeout',
    nodeError('GREETING_TIMEOUT'),
    context('connect'),
    'timeout',
    'transient',
  ],
  [
    'imapflow socket timeout',
    nodeError('ETIMEOUT'),
    context('authenticate'),
    'timeout',
    'transient',
  ],
  ['tcp timeout', nodeError('ETIMEDOUT'), context('connect'), 'timeout', 'transient'],
  [
    'self-signed',
    nodeError('DEPTH_ZERO_SELF_SIGNED_CERT'),
    context('tls'),
    'tls_untrusted_certificate',
    'permanent',
  ],
  [
    'self-signed in chain',
    nodeError('SELF_SIGNED_CERT_IN_CHAIN'),
    context('tls'),
    'tls_untrusted_certificate',
    'permanent',
  ],
  [
    'unknown issuer',
    nodeError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
    context('tls'),
    'tls_untrusted_certificate',
    'permanent',
  ],
  [
    'expired',
    nodeError('CERT_HAS_EXPIRED'),
    context('tls'),
    'tls_untrusted_certificate',
    'permanent',
  ],
  [
    'altname',
    nodeError('ERR_TLS_CERT_ALTNAME_INVALID'),
    context('tls'),
    'tls_hostname_mismatch',
    'permanent',
  ],
  [
    'wrong version',
    nodeError('ERR_SSL_WRONG_VERSION_NUMBER'),
    context('tls'),
    'tls_protocol_mismatch',
    'permanent',
  ],
  [
    'EPROTO text',
    nodeError('EPROTO', 'routines:ssl3_get_record:wrong version number'),
    context('tls'),
    'tls_protocol_mismatch',
    'permanent',
  ],
  [
    'reset during tls',
    nodeError('ECONNRESET'),
    context('tls'),
    'tls_protocol_mismatch',
    'permanent',
  ],
  [
    'starttls missing',
    Object.assign(new Error('Server does not support STARTTLS'), { tlsFailed: true }),
    context('authenticate', { tls: 'starttls', port: 143 }),
    'tls_protocol_mismatch',
    'permanent',
  ],
  [
    'closed without greeting on plaintext',
    nodeError('ClosedAfterConnectText'),
    context('greeting', { tls: 'starttls' }),
    'tls_protocol_mismatch',
    'permanent',
  ],
  [
    'auth failed',
    Object.assign(new Error('Command failed'), {
      authenticationFailed: true,
      serverResponseCode: 'AUTHENTICATIONFAILED',
    }),
    context('authenticate'),
    'auth_failed',
    'auth',
  ],
  [
    'nodemailer EAUTH',
    nodeError('EAUTH', 'Invalid login: 535 5.7.8'),
    context('send'),
    'auth_failed',
    'auth',
  ],
  [
    'mailbox missing',
    Object.assign(new Error('Command failed'), {
      responseStatus: 'NO',
      serverResponseCode: 'NONEXISTENT',
    }),
    context('open_folder', { folder: 'Tickets' }),
    'folder_not_found',
    'permanent',
  ],
  [
    'status NotFound',
    nodeError('NotFound', "Mailbox doesn't exist: X"),
    context('move', { folder: 'X' }),
    'folder_not_found',
    'permanent',
  ],
  ['reset mid-session', nodeError('ECONNRESET'), context('fetch'), 'server_error', 'transient'],
  [
    'NO response',
    Object.assign(new Error('Command failed'), {
      responseStatus: 'NO',
      responseText: 'Internal error occurred',
    }),
    context('fetch'),
    'server_error',
    'transient',
  ],
  [
    'UNAVAILABLE',
    Object.assign(new Error('Command failed'), {
      responseStatus: 'NO',
      serverResponseCode: 'UNAVAILABLE',
    }),
    context('authenticate'),
    'server_error',
    'transient',
  ],
  [
    'invalid_grant',
    msal(
      'ServerError',
      'invalid_grant',
      'AADSTS70008: The provided authorization code or refresh token has expired',
    ),
    context('token'),
    'oauth_reauth_required',
    'auth',
  ],
  [
    'invalid_grant revoked',
    msal(
      'ServerError',
      'invalid_grant',
      'AADSTS50173: The provided grant has expired due to it being revoked',
    ),
    context('token'),
    'oauth_reauth_required',
    'auth',
  ],
  [
    'consent revoked',
    msal(
      'ServerError',
      'invalid_grant',
      'AADSTS65001: The user or administrator has not consented to use the application',
    ),
    context('token'),
    'oauth_reauth_required',
    'auth',
  ],
  [
    'consent as interaction_required',
    msal('InteractionRequiredAuthError', 'interaction_required', 'AADSTS65001: consent'),
    context('token'),
    'oauth_reauth_required',
    'auth',
  ],
  [
    'expired client secret',
    msal(
      'ServerError',
      'invalid_client',
      'AADSTS7000222: The provided client secret keys for app are expired.',
    ),
    context('token'),
    'oauth_invalid_client',
    'auth',
  ],
  [
    'wrong client secret',
    msal('ServerError', 'invalid_client', 'AADSTS7000215: Invalid client secret provided.'),
    context('token'),
    'oauth_invalid_client',
    'auth',
  ],
  [
    'unknown tenant',
    msal('ServerError', 'invalid_request', 'AADSTS90002: Tenant not found.'),
    context('token'),
    'oauth_invalid_client',
    'auth',
  ],
  [
    'no cached tokens',
    msal('InteractionRequiredAuthError', 'no_tokens_found'),
    context('token'),
    'oauth_reauth_required',
    'auth',
  ],
  [
    'token endpoint down',
    msal('AuthError', 'network_error', 'Network request failed: ECONNREFUSED'),
    context('token'),
    'oauth_endpoint_unreachable',
    'transient',
  ],
  [
    'token endpoint 503',
    msal('ServerError', 'temporarily_unavailable'),
    context('token'),
    'oauth_endpoint_unreachable',
    'transient',
  ],
  [
    'insecure authority',
    msal('ClientConfigurationError', 'authority_uri_insecure'),
    context('token'),
    'invalid_configuration',
    'permanent',
  ],
  [
    'nodemailer self-signed',
    nodeError('ESOCKET', 'self-signed certificate'),
    context('send'),
    'tls_untrusted_certificate',
    'permanent',
  ],
  [
    'nodemailer altnames',
    nodeError('ESOCKET', "Hostname/IP does not match certificate's altnames"),
    context('send'),
    'tls_hostname_mismatch',
    'permanent',
  ],
  [
    'nodemailer refused',
    nodeError('ESOCKET', 'connect ECONNREFUSED 127.0.0.1:25'),
    context('send'),
    'connection_refused',
    'transient',
  ],
  [
    'nodemailer dns',
    nodeError('EDNS', 'getaddrinfo ENOTFOUND smtp.invalid'),
    context('send'),
    'dns_not_found',
    'transient',
  ],
  [
    'nodemailer greeting timeout',
    nodeError('ETIMEDOUT', 'Greeting never received'),
    context('send'),
    'timeout',
    'transient',
  ],
  ['a plain string', 'something odd', context('fetch'), 'server_error', 'transient'],
];

describe('toMailError', () => {
  it.each(table)('maps %s', (_name, error, ctx, code, failureClass) => {
    const mapped = toMailError(error, ctx);
    expect(mapped).toBeInstanceOf(MailroomError);
    expect(mapped.code).toBe(`mail.${code}`);
    expect(mailErrorCodeOf(mapped)).toBe(code);
    expect(classifyFailure(mapped)).toBe(failureClass);
    expect(mapped.details.failureClass).toBe(failureClass);
    expect(mapped.message).toMatch(/[A-Z].*\.$/s);
    expect(typeof mapped.details.phase).toBe('string');
  });

  it('keeps the phase it was given, and reports the greeting phase for a greeting timeout', () => {
    expect(toMailError(nodeError('ECONNREFUSED'), 'connect').details.phase).toBe('connect');
    expect(toMailError(nodeError('GREETING_TIMEOUT'), context('connect')).details.phase).toBe(
      'greeting',
    );
  });

  it('names the timeout and hints at implicit TLS when a plaintext connection got no greeting', () => {
    const error = toMailError(
      nodeError('ETIMEOUT'),
      context('greeting', { tls: 'starttls', port: 993 }),
    );
    expect(error.message).toContain('5000 ms');
    expect(error.message).toContain('implicit TLS');
  });

  it('returns a mail error unchanged, so every layer may map again', () => {
    const original = createMailError('timeout', 'No answer.', { phase: 'tls' });
    expect(toMailError(original, 'fetch')).toBe(original);
  });

  it('passes other MailroomErrors through', () => {
    const foreign = new MailroomError('mailbox.not_found', 'No such mailbox.');
    expect(toMailError(foreign, 'fetch')).toBe(foreign);
  });

  it('never copies a secret from the original error into the message or details', () => {
    const secret = 'hunter2-very-secret';
    const token = 'eyJhbGciOi.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const error = Object.assign(new Error(`LOGIN failed for pass=${secret} Bearer ${token}`), {
      responseStatus: 'NO',
      responseText: `bad credentials ${secret} access_token=${token}`,
    });
    const mapped = toMailError(error, { ...context('authenticate'), secrets: [secret] });
    const everything = JSON.stringify({ message: mapped.message, details: mapped.details });
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(token);
    expect(mapped.cause).toBeUndefined();
  });

  it('treats errors from outside this package as transient for the retry policy', () => {
    expect(classifyFailure(new Error('bug'))).toBe('transient');
    expect(classifyFailure(new MailroomError('db.conflict', 'x'))).toBe('transient');
  });
});
