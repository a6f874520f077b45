/**
 * Password logins and TLS against the private Dovecot: each TLS mode, wrong password,
 * certificate trust per mailbox, host name and protocol mismatches. Every error message and
 * captured log line is checked for the password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '@mailroom/testkit';
import { openImapSession, type ImapEndpoint } from '../../src/index';
import {
  captureLog,
  caught,
  dovecotEndpoint,
  errorTexts,
  expectNoSecrets,
} from '../support/mail-test-support';

const PASSWORD = 'Correct-Horse-9f3a';
const WRONG = 'Wrong-Battery-77d1';
let dovecot: Dovecot;
const log = captureLog();
const produced: unknown[] = [];

beforeAll(async () => {
  dovecot = await startDovecot({ users: { support: PASSWORD } });
});
afterAll(async () => {
  // the logger really saw the protocol, logins included
  expect(log.lines.some((line) => line.includes('authentication command hidden'))).toBe(true);
  expect(log.lines.length).toBeGreaterThan(50);
  expectNoSecrets([...produced, ...log.lines], [PASSWORD, WRONG]);
  await dovecot?.stop();
});

const login = (endpoint: ImapEndpoint, password = PASSWORD) =>
  openImapSession(endpoint, { type: 'password', password }, { logger: log.logger });

describe('password login', () => {
  it.each(['implicit', 'starttls', 'none'] as const)('works over %s TLS', async (mode) => {
    const session = await login(dovecotEndpoint(dovecot, 'support', mode));
    try {
      expect(session.client.authenticated).toBeTruthy();
      expect(session.client.secureConnection).toBe(mode !== 'none');
      expect(session.capabilities().has('IDLE')).toBe(true);
      const phases = session.trace.spans.map((span) => span.phase);
      expect(phases).toEqual(
        mode === 'implicit'
          ? ['resolve', 'connect', 'tls', 'greeting', 'authenticate']
          : mode === 'starttls'
            ? ['resolve', 'connect', 'greeting', 'authenticate', 'tls', 'authenticate']
            : ['resolve', 'connect', 'greeting', 'authenticate'],
      );
    } finally {
      await session.close();
    }
  });

  it.each(['implicit', 'starttls'] as const)(
    'connects by host name over %s TLS, trying every resolved address (Dovecot listens on 127.0.0.1 only)',
    async (mode) => {
      // With several addresses node switches sockets while connecting; wrapping one in TLS
      // before it is connected used to crash the whole process (SIGSEGV).
      const session = await openImapSession(
        dovecotEndpoint(dovecot, 'support', mode, { host: 'localhost' }),
        { type: 'password', password: PASSWORD },
        {
          logger: log.logger,
          lookup: async () => [
            { address: '::1', family: 6 },
            { address: '127.0.0.1', family: 4 },
          ],
        },
      );
      expect(session.trace.spans[0]?.detail).toBe('localhost → ::1, 127.0.0.1');
      expect(session.trace.spans[1]?.detail).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(session.trace.tls?.trustedBy).toBe('ca');
      await session.close();
    },
  );

  it('keeps the connection timeout for connecting and a longer inactivity limit for the session', async () => {
    const session = await openImapSession(
      dovecotEndpoint(dovecot, 'support', 'implicit', { connectionTimeoutMs: 3000 }),
      { type: 'password', password: PASSWORD },
      { logger: log.logger, sessionSocketTimeoutMs: 123_456 },
    );
    const socket = (session.client as unknown as { socket: { timeout?: number } }).socket;
    expect(socket.timeout).toBe(123_456);
    await session.close();
  });

  it('plaintext mode never upgrades, although the server offers STARTTLS', async () => {
    const session = await login(dovecotEndpoint(dovecot, 'support', 'none'));
    await session.close();
    expect(session.trace.tls).toBeNull();
    const last = (await dovecot.logins()).at(-1);
    expect(last?.success).toBe(true);
    expect(last?.tls).toBe(false);
  });

  it('a wrong password fails with auth_failed and keeps the password out of the message', async () => {
    const error = await caught(login(dovecotEndpoint(dovecot, 'support'), WRONG));
    produced.push(...errorTexts(error));
    expect(error.code).toBe('mail.auth_failed');
    expect(error.details.phase).toBe('authenticate');
    expect(error.details.failureClass).toBe('auth');
    expect(error.message).toContain('support');
  });

  it('an unknown user fails with auth_failed too', async () => {
    const error = await caught(login(dovecotEndpoint(dovecot, 'nobody')));
    produced.push(...errorTexts(error));
    expect(error.code).toBe('mail.auth_failed');
  });
});

describe('certificate trust is per mailbox', () => {
  const untrusted = (mode: 'implicit' | 'starttls') =>
    dovecotEndpoint(dovecot, 'support', mode, { trustedCertificatePem: undefined });

  it.each(['implicit', 'starttls'] as const)(
    'refuses the self-signed certificate over %s TLS by default',
    async (mode) => {
      const before = await dovecot.countLogins('support');
      const error = await caught(login(untrusted(mode)));
      produced.push(...errorTexts(error));
      expect(error.code).toBe('mail.tls_untrusted_certificate');
      expect(error.details.phase).toBe('tls');
      expect(error.message).toMatch(/self-signed/);
      // refused before any credentials were sent
      expect(await dovecot.countLogins('support')).toBe(before);
    },
  );

  it.each(['implicit', 'starttls'] as const)(
    'accepts it over %s TLS when the mailbox trusts self-signed certificates',
    async (mode) => {
      const session = await login({ ...untrusted(mode), trustSelfSigned: true });
      expect(session.trace.tls?.trustedBy).toBe('self_signed');
      await session.close();
    },
  );

  it('accepts it when the mailbox trusts its PEM', async () => {
    const session = await login(dovecotEndpoint(dovecot, 'support', 'implicit'));
    expect(session.trace.tls?.trustedBy).toBe('ca');
    expect(session.trace.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    await session.close();
  });

  it('trusting one mailbox changes nothing for another', async () => {
    const trusted = await login({ ...untrusted('implicit'), trustSelfSigned: true });
    await trusted.close();
    const error = await caught(login(untrusted('implicit')));
    expect(error.code).toBe('mail.tls_untrusted_certificate');
  });

  it('the self-signed exception still checks the host name', async () => {
    const error = await caught(
      openImapSession(
        { ...untrusted('implicit'), host: 'imap.wrong-name.test', trustSelfSigned: true },
        { type: 'password', password: PASSWORD },
        { logger: log.logger, lookup: async () => [{ address: '127.0.0.1', family: 4 }] },
      ),
    );
    produced.push(...errorTexts(error));
    expect(error.code).toBe('mail.tls_hostname_mismatch');
  });

  it('a trusted PEM for the wrong host name is refused as a host name mismatch', async () => {
    const error = await caught(
      openImapSession(
        { ...dovecotEndpoint(dovecot, 'support', 'implicit'), host: 'imap.wrong-name.test' },
        { type: 'password', password: PASSWORD },
        { logger: log.logger, lookup: async () => [{ address: '127.0.0.1', family: 4 }] },
      ),
    );
    expect(error.code).toBe('mail.tls_hostname_mismatch');
  });
});

describe('TLS mode against the wrong port', () => {
  it('implicit TLS against the plain port fails with tls_protocol_mismatch', async () => {
    const error = await caught(
      login(dovecotEndpoint(dovecot, 'support', 'implicit', { port: dovecot.imapPort })),
    );
    produced.push(...errorTexts(error));
    expect(error.code).toBe('mail.tls_protocol_mismatch');
    expect(error.details.phase).toBe('tls');
  });

  it('STARTTLS against the implicit TLS port times out waiting for the greeting and says why', async () => {
    const error = await caught(
      login(
        dovecotEndpoint(dovecot, 'support', 'starttls', {
          port: dovecot.imapsPort,
          connectionTimeoutMs: 1000,
        }),
      ),
    );
    expect(error.code).toBe('mail.timeout');
    expect(error.details.phase).toBe('greeting');
    expect(error.message).toContain('implicit TLS');
  });
});
