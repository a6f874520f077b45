/**
 * createMailSender against the testkit SMTP sink: password and XOAUTH2 logins, the TLS modes,
 * certificate trust, refusals mapped to mail.* codes, and no secret in errors or logs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink, type SmtpSink } from '@mailroom/testkit';
import { createMailSender, type AccessTokenSource, type SmtpEndpoint } from '../../src/index';
import { captureLog, caught, errorTexts, expectNoSecrets } from '../support/mail-test-support';

const PASSWORD = 'Smtp-Pass-a1b2';
const TOKEN = 'smtp-access-token-c3d4e5';
let starttls: SmtpSink;
let implicit: SmtpSink;
const log = captureLog();
const produced: unknown[] = [];

beforeAll(async () => {
  starttls = await startSmtpSink({
    users: { agent: PASSWORD },
    accessTokens: { [TOKEN]: 'agent' },
  });
  implicit = await startSmtpSink({ users: { agent: PASSWORD }, secure: true });
});
afterAll(async () => {
  expectNoSecrets([...produced, ...log.lines], [PASSWORD, TOKEN, 'Wrong-Smtp-Pass']);
  await starttls?.stop();
  await implicit?.stop();
});

const endpoint = (sink: SmtpSink, overrides: Partial<SmtpEndpoint> = {}): SmtpEndpoint => ({
  host: sink.host,
  port: sink.port,
  tls: sink.secure ? 'implicit' : 'starttls',
  username: 'agent',
  trustSelfSigned: false,
  trustedCertificatePem: sink.certPem,
  connectionTimeoutMs: 5000,
  ...overrides,
});

const reply = {
  from: 'support@mailroom.test',
  to: ['customer@example.com'],
  subject: 'Re: [#1042] Printer',
  text: 'We are on it.',
  inReplyTo: '<original@example.com>',
  references: ['<original@example.com>'],
};

describe('createMailSender', () => {
  it.each(['starttls', 'implicit'] as const)('sends with a password over %s TLS', async (mode) => {
    const sink = mode === 'starttls' ? starttls : implicit;
    sink.clear();
    const sender = createMailSender(
      endpoint(sink),
      { type: 'password', password: PASSWORD },
      { logger: log.logger },
    );
    const sent = await sender.send(reply);
    expect(sent.accepted).toEqual(['customer@example.com']);
    const [message] = await sink.waitForMessages(1);
    expect(message?.user).toBe('agent');
    expect(message?.secure).toBe(true);
    expect(message?.raw.toString()).toContain('In-Reply-To: <original@example.com>');
  });

  it('sends with an XOAUTH2 access token from a token source', async () => {
    starttls.clear();
    const tokens: AccessTokenSource = {
      getAccessToken: async () => ({
        accessToken: TOKEN,
        expiresAt: new Date(Date.now() + 3600_000),
        fromCache: false,
      }),
    };
    const sender = createMailSender(
      endpoint(starttls),
      { type: 'oauth2', tokens },
      { logger: log.logger },
    );
    await sender.send(reply);
    expect(starttls.authAttempts.at(-1)).toMatchObject({
      method: 'XOAUTH2',
      user: 'agent',
      success: true,
    });
  });

  it('a wrong password fails with auth_failed', async () => {
    const sender = createMailSender(
      endpoint(starttls),
      { type: 'password', password: 'Wrong-Smtp-Pass' },
      { logger: log.logger },
    );
    const error = await caught(sender.send(reply));
    produced.push(...errorTexts(error));
    expect(error.code).toBe('mail.auth_failed');
    expect(error.details.phase).toBe('send');
  });

  it('refuses the self-signed certificate unless the mailbox trusts it', async () => {
    const sender = createMailSender(endpoint(implicit, { trustedCertificatePem: undefined }), {
      type: 'password',
      password: PASSWORD,
    });
    const error = await caught(sender.verify());
    produced.push(...errorTexts(error));
    expect(error.code).toBe('mail.tls_untrusted_certificate');
    await createMailSender(
      endpoint(implicit, { trustedCertificatePem: undefined, trustSelfSigned: true }),
      {
        type: 'password',
        password: PASSWORD,
      },
    ).verify();
  });

  it('maps a refused recipient to a mail error', async () => {
    starttls.rejectNext('rcpt', 550, 'No such user');
    const sender = createMailSender(endpoint(starttls), { type: 'password', password: PASSWORD });
    const error = await caught(sender.send(reply));
    produced.push(...errorTexts(error));
    expect(error.code).toMatch(/^mail\./);
  });
});
