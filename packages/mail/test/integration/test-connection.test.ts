/**
 * Test Connection against the private Dovecot, from unsaved settings: the steps, the
 * capabilities, the folder list with counts, and failures reported (not thrown) without secrets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '@mailroom/testkit';
import { testConnection } from '../../src/index';
import {
  captureLog,
  dovecotEndpoint,
  expectNoSecrets,
  settledConnectionCount,
} from '../support/mail-test-support';

const PASSWORD = 'TestConn-Pass-41b2';
let dovecot: Dovecot;
const log = captureLog();
const reports: unknown[] = [];

const mail = (subject: string) =>
  `From: a@example.com\r\nTo: support@example.com\r\nSubject: ${subject}\r\nMessage-ID: <${subject.replace(/\W/g, '')}@example.com>\r\n\r\nHello\r\n`;

beforeAll(async () => {
  dovecot = await startDovecot({ users: { support: PASSWORD } });
  await dovecot.createFolder('support', 'Support/Done');
  await dovecot.createFolder('support', 'Archive');
  await dovecot.append('support', 'INBOX', mail('one'));
  await dovecot.append('support', 'INBOX', mail('two'));
  await dovecot.append('support', 'Support/Done', mail('three'));
});
afterAll(async () => {
  expectNoSecrets([...reports, ...log.lines], [PASSWORD, 'Nope-Wrong-Pass']);
  await dovecot?.stop();
});

describe('Test Connection', () => {
  it('reports every step, the capabilities that matter and the folders Dovecot has', async () => {
    const report = await testConnection({
      connection: { ...dovecotEndpoint(dovecot, 'support', 'starttls'), authType: 'password' },
      secrets: { password: PASSWORD },
      logger: log.logger,
    });
    reports.push(report);
    expect(report.error).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(report.steps.map((step) => step.name)).toEqual([
      'resolve',
      'connect',
      'greeting',
      'authenticate',
      'tls',
      'authenticate',
      'list_folders',
    ]);
    expect(report.steps.every((step) => step.ok && step.ms >= 0)).toBe(true);
    expect(report.steps.find((step) => step.name === 'tls')?.detail).toMatch(
      /STARTTLS, TLSv1\.[23]/,
    );
    expect(report.greeting).toMatch(/OK/);
    expect(report.capabilities).toMatchObject({
      IDLE: true,
      UIDPLUS: true,
      MOVE: true,
      CONDSTORE: true,
    });
    // the testkit Dovecot configures no special-use folders, so it does not announce SPECIAL-USE
    expect(report.capabilities['SPECIAL-USE']).toBe(false);

    const byPath = new Map(report.folders.map((folder) => [folder.path, folder]));
    expect([...byPath.keys()]).toEqual(
      expect.arrayContaining(['INBOX', 'Support', 'Support/Done', 'Archive']),
    );
    expect(report.folders[0]?.path).toBe('INBOX');
    expect(byPath.get('INBOX')).toMatchObject({ name: 'INBOX', messages: 2, selectable: true });
    expect(byPath.get('Support/Done')).toMatchObject({ name: 'Done', messages: 1, delimiter: '/' });
  });

  it('works over implicit TLS with the self-signed exception', async () => {
    const report = await testConnection({
      connection: {
        ...dovecotEndpoint(dovecot, 'support', 'implicit', {
          trustedCertificatePem: undefined,
          trustSelfSigned: true,
        }),
        authType: 'password',
      },
      secrets: { password: PASSWORD },
    });
    reports.push(report);
    expect(report.ok).toBe(true);
    expect(report.tls?.trustedBy).toBe('self_signed');
    expect(report.steps.map((step) => step.name)).toEqual([
      'resolve',
      'connect',
      'tls',
      'greeting',
      'authenticate',
      'list_folders',
    ]);
  });

  it('reports a wrong password as the failed authenticate step, with the code and an actionable message', async () => {
    const report = await testConnection({
      connection: { ...dovecotEndpoint(dovecot, 'support', 'implicit'), authType: 'password' },
      secrets: { password: 'Nope-Wrong-Pass' },
      logger: log.logger,
    });
    reports.push(report);
    expect(report.ok).toBe(false);
    expect(report.error).toMatchObject({ code: 'mail.auth_failed', phase: 'authenticate' });
    const last = report.steps.at(-1);
    expect(last).toMatchObject({ name: 'authenticate', ok: false });
    expect(last?.detail).toContain('password');
    expect(report.folders).toEqual([]);
  });

  it('reports an untrusted certificate at the TLS step', async () => {
    const report = await testConnection({
      connection: {
        ...dovecotEndpoint(dovecot, 'support', 'implicit', { trustedCertificatePem: undefined }),
        authType: 'password',
      },
      secrets: { password: PASSWORD },
    });
    reports.push(report);
    expect(report.error?.code).toBe('mail.tls_untrusted_certificate');
    expect(report.steps.at(-1)).toMatchObject({ name: 'tls', ok: false });
  });

  it('reports a pasted PEM that is not a certificate as a configuration problem', async () => {
    const report = await testConnection({
      connection: {
        ...dovecotEndpoint(dovecot, 'support', 'implicit', {
          trustedCertificatePem: 'MIIB...truncated',
        }),
        authType: 'password',
      },
      secrets: { password: PASSWORD },
    });
    expect(report.error?.code).toBe('mail.invalid_configuration');
    expect(report.steps.map((step) => step.name)).toEqual(['configure']);
  });

  it('reports a missing password as a configuration problem without connecting', async () => {
    const before = await settledConnectionCount(dovecot);
    const report = await testConnection({
      connection: { ...dovecotEndpoint(dovecot, 'support'), authType: 'password' },
      secrets: {},
    });
    expect(report.error?.code).toBe('mail.invalid_configuration');
    expect(report.steps).toEqual([
      { name: 'configure', ok: false, ms: 0, detail: report.error?.message },
    ]);
    expect(await settledConnectionCount(dovecot)).toBe(before);
  });
});
