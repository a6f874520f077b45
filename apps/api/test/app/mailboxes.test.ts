import { randomBytes } from 'node:crypto';
import {
  createMailboxesRepository,
  createSecretBox,
  createTenantsRepository,
  createUsersRepository,
  type Database,
} from '@mailroom/db';
import type { MailboxSettingsInput } from '@mailroom/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, cookiePair, createTestUser, json, openTestDatabase } from '../support';

const settings: MailboxSettingsInput = {
  name: 'Support inbox',
  connection: {
    host: 'imap.example.test',
    port: 993,
    tls: 'implicit',
    username: 'support@example.test',
    replyTo: 'support@example.test',
    authType: 'password',
  },
  policy: {},
  reading: {},
};

/** The parts of a Mailbox response these tests read. */
interface MailboxBody {
  id: string;
  name: string;
  settingsVersion: number;
  settings: {
    policy: { maxTries: number };
    reading: { folders: { read: string[] } };
    connection: object;
  };
  secretsPresent: { password: boolean };
}

describe('/api/v1/mailboxes', () => {
  let database: Database;
  const secretKey = randomBytes(32);
  let adminCookie: string;
  let agentCookie: string;
  let app: ReturnType<typeof buildApp>['app'];

  const signIn = async (role: 'admin' | 'agent') => {
    const { user, password } = await createTestUser(database, { role });
    const response = await app.request('/api/v1/auth/login', json({ email: user.email, password }));
    return cookiePair(response.headers.get('set-cookie'));
  };
  const send = (method: string, path: string, cookie: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { cookie, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    database = await openTestDatabase();
    app = buildApp(database, { secretKey }).app;
    adminCookie = await signIn('admin');
    agentCookie = await signIn('agent');
  });
  afterAll(async () => {
    await database.close();
  });

  it('creates a draft mailbox with defaults applied and a write-only password', async () => {
    const response = await send('POST', '/api/v1/mailboxes', adminCookie, {
      settings,
      secrets: { password: 'imap-password-never-returned' },
    });
    expect(response.status).toBe(201);
    const text = await response.text();
    expect(text).not.toContain('imap-password-never-returned');
    const mailbox = JSON.parse(text) as MailboxBody;
    expect(mailbox).toMatchObject({
      name: 'Support inbox',
      status: 'draft',
      settingsVersion: expect.any(Number),
      secretsPresent: { password: true, clientSecret: false, refreshToken: false },
      health: { state: 'idle' },
    });
    expect(mailbox.settings.policy.maxTries).toBe(5);
    expect(mailbox.settings.reading.folders.read).toEqual(['INBOX']);

    // The password is stored encrypted and only the ingestion side can read it back.
    const secrets = await createMailboxesRepository({
      db: database.db,
      secretBox: createSecretBox({ masterKey: secretKey }),
    }).getSecrets(mailbox.id);
    expect(secrets.password).toBe('imap-password-never-returned');
  });

  it('lists each invalid setting by its path', async () => {
    const response = await send('POST', '/api/v1/mailboxes', adminCookie, {
      settings: {
        ...settings,
        connection: { ...settings.connection, host: 'imaps://bad', port: 70000 },
      },
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as {
      code: string;
      errors: Array<{ path: string; message: string }>;
    };
    expect(problem.code).toBe('request.invalid');
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { path: 'settings.connection.host', message: 'enter a host name, not a URL' },
        expect.objectContaining({ path: 'settings.connection.port' }),
      ]),
    );
  });

  it('updates settings groups and secrets, bumping the version, and refuses a stale version', async () => {
    const created = (await (
      await send('POST', '/api/v1/mailboxes', adminCookie, { settings })
    ).json()) as {
      id: string;
      settingsVersion: number;
    };
    const update = await send('PATCH', `/api/v1/mailboxes/${created.id}`, adminCookie, {
      settings: {
        name: 'Sales inbox',
        connection: { ...settings.connection, port: 143, tls: 'starttls' },
      },
      secrets: { password: 'first-secret' },
      expectedVersion: created.settingsVersion,
    });
    expect(update.status).toBe(200);
    const updated = (await update.json()) as MailboxBody;
    expect(updated.name).toBe('Sales inbox');
    expect(updated.settings.connection).toMatchObject({ port: 143, tls: 'starttls' });
    expect(updated.settingsVersion).toBeGreaterThan(created.settingsVersion);
    expect(updated.secretsPresent.password).toBe(true);

    const stale = await send('PATCH', `/api/v1/mailboxes/${created.id}`, adminCookie, {
      settings: { name: 'Lost update' },
      expectedVersion: created.settingsVersion,
    });
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { code: string }).code).toBe('mailbox.version_conflict');

    const cleared = await send('PATCH', `/api/v1/mailboxes/${created.id}`, adminCookie, {
      secrets: { password: null },
    });
    expect(((await cleared.json()) as MailboxBody).secretsPresent.password).toBe(false);

    const fetched = (await (
      await send('GET', `/api/v1/mailboxes/${created.id}`, adminCookie)
    ).json()) as MailboxBody;
    expect(fetched.name).toBe('Sales inbox');
    const list = (await (await send('GET', '/api/v1/mailboxes', adminCookie)).json()) as {
      items: Array<{ id: string }>;
    };
    expect(list.items.map((item) => item.id)).toContain(created.id);
  });

  it('is for admins only: agents get 403 and anonymous callers 401', async () => {
    const asAgent = await send('GET', '/api/v1/mailboxes', agentCookie);
    expect(asAgent.status).toBe(403);
    expect(((await asAgent.json()) as { code: string }).code).toBe('auth.forbidden');
    const createAsAgent = await send('POST', '/api/v1/mailboxes', agentCookie, { settings });
    expect(createAsAgent.status).toBe(403);
    expect((await app.request('/api/v1/mailboxes')).status).toBe(401);
  });

  it('hides other tenants’ mailboxes behind a 404', async () => {
    const other = await createTenantsRepository({ db: database.db }).ensure({
      slug: 'other',
      name: 'Other',
    });
    const foreign = await createMailboxesRepository({ db: database.db }).create({
      tenantId: other.id,
      settings,
    });
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { settings: { name: 'Hijacked' } }],
    ] as const) {
      const response = await send(method, `/api/v1/mailboxes/${foreign.id}`, adminCookie, body);
      expect(response.status).toBe(404);
      expect(((await response.json()) as { code: string }).code).toBe('mailbox.not_found');
    }
    const otherAdmin = await createUsersRepository({ db: database.db }).create({
      tenantId: other.id,
      email: 'other-admin@example.test',
      name: 'Other Admin',
      role: 'admin',
      password: 'other-tenant-password',
    });
    const login = await app.request(
      '/api/v1/auth/login',
      json({ email: otherAdmin.email, password: 'other-tenant-password' }),
    );
    const list = (await (
      await send('GET', '/api/v1/mailboxes', cookiePair(login.headers.get('set-cookie')))
    ).json()) as { items: Array<{ id: string; name: string }> };
    expect(list.items.map((item) => item.id)).toEqual([foreign.id]);
  });
});
