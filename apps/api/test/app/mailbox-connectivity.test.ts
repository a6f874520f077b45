/**
 * Test Connection and the folder list against the real testkit Dovecot, through the app on
 * PGlite: unsaved and saved configurations, a refused login as a report (not an error), the
 * stored encrypted password, folder listing, 502 for a mail server failure, and no password
 * in any response or log line.
 */
import { startDovecot, type Dovecot } from '@mailroom/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dovecotConnection,
  expectNoSecrets,
  startTestApp,
  type TestContext,
} from '../mailbox-support';

const PASSWORD = 'dovecot-pw-3f9a1c7e';
const WRONG = 'wrong-pw-8b2d4e6f';

interface Report {
  ok: boolean;
  steps: Array<{ name: string; ok: boolean; ms: number; detail: string }>;
  capabilities: Record<string, boolean>;
  folders: Array<{
    path: string;
    name: string;
    specialUse: string | null;
    messages: number | null;
  }>;
  error?: { code: string; message: string; phase: string };
}

let t: TestContext;
let dovecot: Dovecot;
let mailboxId: string;

beforeAll(async () => {
  dovecot = await startDovecot({ users: { support: PASSWORD } });
  await dovecot.createFolder('support', 'Processed');
  await dovecot.createFolder('support', 'Failed');
  await dovecot.append('support', 'INBOX', 'Subject: hello\r\nFrom: a@b.test\r\n\r\nhi\r\n');
  t = await startTestApp();
  const created = await t.call<{ id: string }>('POST', '/api/v1/mailboxes', {
    settings: {
      name: 'Support',
      connection: dovecotConnection(dovecot, 'support'),
      policy: {},
      reading: {},
    },
    secrets: { password: PASSWORD },
  });
  expect(created.status).toBe(201);
  mailboxId = created.body.id;
});

afterAll(async () => {
  expectNoSecrets([...t.bodies, ...t.logs.lines], [PASSWORD, WRONG]);
  await t?.close();
  await dovecot?.stop();
});

describe('POST /api/v1/mailboxes/test-connection (unsaved settings)', () => {
  it('reports every step, the capabilities and the folders when the login works', async () => {
    const { status, body } = await t.call<Report>('POST', '/api/v1/mailboxes/test-connection', {
      connection: dovecotConnection(dovecot, 'support'),
      secrets: { password: PASSWORD },
    });
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.error).toBeUndefined();
    expect(body.steps.map((step) => step.name)).toEqual(
      expect.arrayContaining(['connect', 'tls', 'greeting', 'authenticate', 'list_folders']),
    );
    expect(body.steps.every((step) => step.ok)).toBe(true);
    expect(body.capabilities.IDLE).toBe(true);
    const inbox = body.folders.find((folder) => folder.path === 'INBOX');
    expect(inbox).toMatchObject({ name: 'INBOX', messages: 1 });
    expect(body.folders.map((folder) => folder.path)).toEqual(
      expect.arrayContaining(['INBOX', 'Processed', 'Failed']),
    );
  });

  it('answers 200 with ok:false and mail.auth_failed for a wrong password, without the password', async () => {
    const response = await t.send('POST', '/api/v1/mailboxes/test-connection', {
      connection: dovecotConnection(dovecot, 'support'),
      secrets: { password: WRONG },
    });
    const text = await response.text();
    t.bodies.push(text);
    expect(response.status).toBe(200);
    expect(text).not.toContain(WRONG);
    const body = JSON.parse(text) as Report;
    expect(body.ok).toBe(false);
    expect(body.error).toMatchObject({ code: 'mail.auth_failed', phase: 'authenticate' });
    expect(body.steps.at(-1)).toMatchObject({ name: 'authenticate', ok: false });
    expect(body.folders).toEqual([]);
  });

  it('reports a refused connection as a report too', async () => {
    const { status, body } = await t.call<Report>('POST', '/api/v1/mailboxes/test-connection', {
      connection: { ...dovecotConnection(dovecot, 'support'), port: 1 },
      secrets: { password: PASSWORD },
    });
    expect(status).toBe(200);
    expect(body.ok).toBe(false);
    expect(body.error?.code).toBe('mail.connection_refused');
  });

  it('refuses with 422 and the missing field when no password is given', async () => {
    const { status, body } = await t.call('POST', '/api/v1/mailboxes/test-connection', {
      connection: dovecotConnection(dovecot, 'support'),
    });
    expect(status).toBe(422);
    expect(body).toMatchObject({
      code: 'mailbox.configuration_incomplete',
      errors: [{ path: 'secrets.password', message: expect.any(String) }],
    });
  });

  it('refuses invalid settings with 400 per field', async () => {
    const { status, body } = await t.call('POST', '/api/v1/mailboxes/test-connection', {
      connection: { ...dovecotConnection(dovecot, 'support'), host: 'imap://x', port: 70000 },
      secrets: { password: PASSWORD },
    });
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'request.invalid' });
    const paths = (body.errors as Array<{ path: string }>).map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['connection.host', 'connection.port']));
  });

  it('is for admins only', async () => {
    const { status, body } = await t.call(
      'POST',
      '/api/v1/mailboxes/test-connection',
      { connection: dovecotConnection(dovecot, 'support'), secrets: { password: PASSWORD } },
      t.agentCookie,
    );
    expect(status).toBe(403);
    expect(body.code).toBe('auth.forbidden');
  });
});

describe('POST /api/v1/mailboxes/{id}/test-connection (saved mailbox)', () => {
  it('logs in with the stored, encrypted password when the body is empty', async () => {
    const { status, body } = await t.call<Report>(
      'POST',
      `/api/v1/mailboxes/${mailboxId}/test-connection`,
    );
    expect(status).toBe(200);
    expect(body.ok).toBe(true);
    expect(body.folders.length).toBeGreaterThanOrEqual(3);
  });

  it('uses an overriding password instead of the stored one', async () => {
    const { status, body } = await t.call<Report>(
      'POST',
      `/api/v1/mailboxes/${mailboxId}/test-connection`,
      { secrets: { password: WRONG } },
    );
    expect(status).toBe(200);
    expect(body.ok).toBe(false);
    expect(body.error?.code).toBe('mail.auth_failed');
  });

  it('uses overriding connection settings with the stored password', async () => {
    const { body } = await t.call<Report>(
      'POST',
      `/api/v1/mailboxes/${mailboxId}/test-connection`,
      {
        connection: {
          ...dovecotConnection(dovecot, 'support'),
          port: dovecot.imapPort,
          tls: 'starttls',
        },
      },
    );
    expect(body.ok).toBe(true);
    expect(body.steps.map((step) => step.name)).toContain('tls');
  });

  it('answers 404 for an unknown mailbox', async () => {
    const { status, body } = await t.call(
      'POST',
      '/api/v1/mailboxes/00000000-0000-4000-8000-000000000000/test-connection',
      {},
    );
    expect(status).toBe(404);
    expect(body.code).toBe('mailbox.not_found');
  });
});

describe('GET /api/v1/mailboxes/{id}/folders', () => {
  it('lists the folders Dovecot has, with message counts', async () => {
    const { status, body } = await t.call<{ items: Report['folders'] }>(
      'GET',
      `/api/v1/mailboxes/${mailboxId}/folders`,
    );
    expect(status).toBe(200);
    expect(body.items.map((folder) => folder.path).sort()).toEqual(
      expect.arrayContaining(['Failed', 'INBOX', 'Processed']),
    );
    expect(body.items.find((folder) => folder.path === 'INBOX')?.messages).toBe(1);
  });

  it('answers 502 with the mail error code when the server refuses the stored password', async () => {
    const other = await t.call<{ id: string }>('POST', '/api/v1/mailboxes', {
      settings: {
        name: 'Wrong password',
        connection: dovecotConnection(dovecot, 'support'),
        policy: {},
        reading: {},
      },
      secrets: { password: WRONG },
    });
    const { status, body, headers } = await t.call(
      'GET',
      `/api/v1/mailboxes/${other.body.id}/folders`,
    );
    expect(status).toBe(502);
    expect(headers.get('content-type')).toContain('application/problem+json');
    expect(body).toMatchObject({ code: 'mail.auth_failed', status: 502 });
    expect(String(body.detail)).not.toContain(WRONG);
  });
});
