import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMailboxesRepository, createSecretBox, type Db } from '../src/index';
import { engines, useMigratedDatabase } from './engines';
import { hasCode, mailboxSettings, makeTenant } from './fixtures';

const repository = (db: Db) =>
  createMailboxesRepository({ db, secretBox: createSecretBox({ masterKey: randomBytes(32) }) });

describe.each(engines)('mailboxes on $kind', (engine) => {
  const database = useMigratedDatabase(engine);

  it('creates a draft mailbox with validated settings, defaults filled in', async () => {
    const { db } = database();
    const mailboxes = repository(db);
    const tenant = await makeTenant(db);
    const mailbox = await mailboxes.create({ tenantId: tenant.id, settings: mailboxSettings() });
    expect(mailbox).toMatchObject({
      tenantId: tenant.id,
      name: 'Support inbox',
      status: 'draft',
      settingsVersion: 1,
    });
    expect(mailbox.settings.connection).toMatchObject({
      host: 'imap.example.com',
      protocol: 'imap',
      connectionTimeoutMs: 15000,
    });
    expect(mailbox.settings.policy).toMatchObject({
      maxTries: 5,
      coolOffMinutes: 15,
      timeZone: 'UTC',
    });
    expect(mailbox.settings.reading.folders).toEqual({ read: ['INBOX'], postAction: 'mark_seen' });
    expect(mailbox.settings.oauth).toBeUndefined();
    expect(mailbox.health).toMatchObject({
      state: 'idle',
      counters: { seen: 0, created: 0 },
      progress: null,
    });
    expect(mailbox.secretsPresent).toEqual({
      password: false,
      clientSecret: false,
      refreshToken: false,
      msalCache: false,
    });
    expect(mailbox.lease).toEqual({ owner: null, expiresAt: null, heartbeatAt: null });
    expect(await mailboxes.get(mailbox.id)).toEqual(mailbox);
    expect(await mailboxes.get(mailbox.id, { tenantId: (await makeTenant(db)).id })).toBeNull();
  });

  it('refuses invalid settings and names each field at fault', async () => {
    const { db } = database();
    const mailboxes = repository(db);
    const tenant = await makeTenant(db);
    const settings = mailboxSettings();
    await expect(
      mailboxes.create({
        tenantId: tenant.id,
        settings: {
          ...settings,
          connection: { ...settings.connection, host: 'imaps://x', port: 0 },
        },
      }),
    ).rejects.toMatchObject({
      code: 'mailbox.invalid_settings',
      kind: 'invalid',
      issues: expect.arrayContaining([
        expect.objectContaining({ path: 'connection.host' }),
        expect.objectContaining({ path: 'connection.port' }),
      ]),
    });
  });

  it('replaces settings groups, bumps the version on every change and detects a concurrent edit', async () => {
    const { db } = database();
    const mailboxes = repository(db);
    const tenant = await makeTenant(db);
    const mailbox = await mailboxes.create({ tenantId: tenant.id, settings: mailboxSettings() });
    const updated = await mailboxes.updateSettings(mailbox.id, {
      name: 'Billing',
      oauth: { flow: 'refresh_token', tenantId: 'contoso', clientId: 'app-1' },
      reading: { allowedSenderDomains: ['customer.example'] },
    });
    expect(updated.settingsVersion).toBe(2);
    expect(updated.name).toBe('Billing');
    expect(updated.settings.oauth).toMatchObject({
      tenantId: 'contoso',
      scope: 'https://outlook.office365.com/.default',
    });
    expect(updated.settings.reading.allowedSenderDomains).toEqual(['customer.example']);
    expect(updated.settings.connection).toEqual(mailbox.settings.connection);

    const withoutOauth = await mailboxes.updateSettings(
      mailbox.id,
      { oauth: null },
      { expectedVersion: 2 },
    );
    expect(withoutOauth.settings.oauth).toBeUndefined();
    expect(withoutOauth.settingsVersion).toBe(3);
    await expect(
      mailboxes.updateSettings(mailbox.id, { name: 'Late' }, { expectedVersion: 2 }),
    ).rejects.toSatisfy(hasCode('mailbox.version_conflict'));
    await expect(
      mailboxes.updateSettings('00000000-0000-4000-8000-000000000000', { name: 'x' }),
    ).rejects.toSatisfy(hasCode('mailbox.not_found'));

    const active = await mailboxes.setStatus(mailbox.id, 'active');
    expect(active).toMatchObject({ status: 'active', settingsVersion: 4 });
    expect((await mailboxes.listActive()).map((m) => m.id)).toContain(mailbox.id);
    await mailboxes.setStatus(mailbox.id, 'paused');
    expect((await mailboxes.listActive()).map((m) => m.id)).not.toContain(mailbox.id);
    expect((await mailboxes.listByTenant(tenant.id)).map((m) => m.id)).toEqual([mailbox.id]);
  });

  it('keeps both of two concurrent saves that change different settings groups', async () => {
    const { db } = database();
    const mailboxes = repository(db);
    const tenant = await makeTenant(db);
    const mailbox = await mailboxes.create({ tenantId: tenant.id, settings: mailboxSettings() });
    await Promise.all([
      mailboxes.updateSettings(mailbox.id, { name: 'Renamed' }),
      mailboxes.updateSettings(mailbox.id, { reading: { allowedSenderDomains: ['x.example'] } }),
    ]);
    const after = (await mailboxes.get(mailbox.id))!;
    expect(after.name).toBe('Renamed');
    expect(after.settings.reading.allowedSenderDomains).toEqual(['x.example']);
    expect(after.settingsVersion).toBe(3);
  });

  it('stores secrets encrypted, reports only their presence and decrypts them for ingestion', async () => {
    const { db } = database();
    const mailboxes = repository(db);
    const tenant = await makeTenant(db);
    const mailbox = await mailboxes.create({ tenantId: tenant.id, settings: mailboxSettings() });
    const present = await mailboxes.setSecrets(mailbox.id, {
      password: 'imap-password',
      clientSecret: 'azure-secret',
    });
    expect(present).toEqual({
      password: true,
      clientSecret: true,
      refreshToken: false,
      msalCache: false,
    });
    const after = (await mailboxes.get(mailbox.id))!;
    expect(after.secretsPresent.password).toBe(true);
    expect(after.settingsVersion).toBe(2);
    expect(JSON.stringify(after)).not.toContain('imap-password');
    expect(await mailboxes.getSecrets(mailbox.id)).toEqual({
      password: 'imap-password',
      clientSecret: 'azure-secret',
    });

    await mailboxes.setSecrets(mailbox.id, { password: 'rotated', clientSecret: null });
    expect(await mailboxes.getSecrets(mailbox.id)).toEqual({ password: 'rotated' });
    expect((await mailboxes.get(mailbox.id))!.settingsVersion).toBe(3);

    // The worker's own token cache does not make workers restart.
    await mailboxes.setSecrets(mailbox.id, { msalCache: '{"AccessToken":{}}' });
    expect((await mailboxes.get(mailbox.id))!.settingsVersion).toBe(3);
    expect(await mailboxes.secretsPresent(mailbox.id)).toMatchObject({
      msalCache: true,
      password: true,
    });

    const otherKey = createMailboxesRepository({
      db,
      secretBox: createSecretBox({ masterKey: randomBytes(32) }),
    });
    await expect(otherKey.getSecrets(mailbox.id)).rejects.toSatisfy(hasCode('secret.unknown_key'));
    await expect(
      mailboxes.setSecrets('00000000-0000-4000-8000-000000000000', { password: 'x' }),
    ).rejects.toSatisfy(hasCode('mailbox.not_found'));
  });

  it('records health reports, and ignores one from a worker that no longer holds the lease', async () => {
    const { db } = database();
    const mailboxes = repository(db);
    const tenant = await makeTenant(db);
    const mailbox = await mailboxes.create({ tenantId: tenant.id, settings: mailboxSettings() });
    const written = await mailboxes.updateHealth(mailbox.id, {
      state: 'retrying',
      attempt: 2,
      maxAttempts: 5,
      nextAttemptAt: '2030-01-01T00:05:00.000Z',
      lastErrorCode: 'mail.connection_refused',
      lastErrorMessage: 'The server refused the connection.',
      progress: { done: 10, total: 250 },
    });
    expect(written).toBe(true);
    const health = (await mailboxes.get(mailbox.id))!.health;
    expect(health).toMatchObject({
      state: 'retrying',
      attempt: 2,
      maxAttempts: 5,
      nextAttemptAt: '2030-01-01T00:05:00.000Z',
      lastErrorCode: 'mail.connection_refused',
      progress: { done: 10, total: 250 },
    });
    expect(health.updatedAt).not.toBeNull();

    expect(
      await mailboxes.updateHealth(
        mailbox.id,
        { state: 'listening' },
        { owner: 'worker-that-lost-it' },
      ),
    ).toBe(false);
    expect((await mailboxes.get(mailbox.id))!.health.state).toBe('retrying');

    await mailboxes.updateHealth(mailbox.id, {
      state: 'listening',
      lastErrorCode: null,
      lastErrorMessage: null,
      progress: null,
    });
    expect((await mailboxes.get(mailbox.id))!.health).toMatchObject({
      state: 'listening',
      lastErrorCode: null,
      progress: null,
    });
  });

  it('adds to counters without losing concurrent increments', async () => {
    const { db } = database();
    const mailboxes = repository(db);
    const tenant = await makeTenant(db);
    const mailbox = await mailboxes.create({ tenantId: tenant.id, settings: mailboxSettings() });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        mailboxes.incrementCounters(mailbox.id, { seen: 1, created: i % 2, skipped: 1 - (i % 2) }),
      ),
    );
    await mailboxes.incrementCounters(mailbox.id, {});
    expect((await mailboxes.get(mailbox.id))!.health.counters).toEqual({
      seen: 20,
      created: 10,
      appended: 0,
      skipped: 10,
      quarantined: 0,
    });
  });

  it('removes a mailbox with its secrets', async () => {
    const { db } = database();
    const mailboxes = repository(db);
    const tenant = await makeTenant(db);
    const mailbox = await mailboxes.create({ tenantId: tenant.id, settings: mailboxSettings() });
    await mailboxes.setSecrets(mailbox.id, { password: 'x' });
    expect(await mailboxes.remove(mailbox.id)).toBe(true);
    expect(await mailboxes.get(mailbox.id)).toBeNull();
    expect(await mailboxes.secretsPresent(mailbox.id)).toMatchObject({ password: false });
    expect(await mailboxes.remove(mailbox.id)).toBe(false);
  });
});
