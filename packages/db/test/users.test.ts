import { describe, expect, it } from 'vitest';
import {
  createApiKeysRepository,
  createSessionsRepository,
  createTenantsRepository,
  createUsersRepository,
  hashPassword,
  verifyPassword,
} from '../src/index';
import { engines, useMigratedDatabase } from './engines';
import { hasCode, makeTenant, uniqueSlug } from './fixtures';

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword('correct horse battery staple', hash)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', hash)).toBe(false);
  });

  it('salts every hash, so equal passwords give different hashes', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same password'),
      hashPassword('same password'),
    ]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('answers false for malformed stored hashes instead of throwing', async () => {
    for (const stored of [
      '',
      'plain',
      'scrypt$1$2$3$$',
      'bcrypt$x$y$z$a$b',
      'scrypt$0$8$1$c2FsdA==$aGFzaA==',
    ]) {
      expect(await verifyPassword('anything', stored)).toBe(false);
    }
  });
});

describe.each(engines)('tenants, users, sessions and API keys on $kind', (engine) => {
  const database = useMigratedDatabase(engine);

  it('creates a tenant once and refuses a second one with the same handle', async () => {
    const tenants = createTenantsRepository({ db: database().db });
    const slug = uniqueSlug();
    const tenant = await tenants.create({ slug, name: 'Acme' });
    expect(await tenants.get(tenant.id)).toEqual(tenant);
    expect(await tenants.getBySlug(slug)).toEqual(tenant);
    await expect(tenants.create({ slug, name: 'Other' })).rejects.toSatisfy(
      hasCode('tenant.slug_taken'),
    );
    await expect(tenants.create({ slug: 'Not A Slug', name: 'x' })).rejects.toSatisfy(
      hasCode('tenant.invalid_slug'),
    );
    expect(await tenants.get('not-a-uuid')).toBeNull();
  });

  it('ensure() returns the existing tenant, even when called concurrently', async () => {
    const tenants = createTenantsRepository({ db: database().db });
    const slug = uniqueSlug();
    const results = await Promise.all(
      [1, 2, 3].map(() => tenants.ensure({ slug, name: 'Default' })),
    );
    expect(new Set(results.map((tenant) => tenant.id)).size).toBe(1);
    expect((await tenants.list()).filter((tenant) => tenant.slug === slug)).toHaveLength(1);
  });

  it('stores emails lower-cased, unique per tenant but reusable in another tenant', async () => {
    const { db } = database();
    const users = createUsersRepository({ db });
    const [a, b] = [await makeTenant(db), await makeTenant(db)];
    const user = await users.create({
      tenantId: a.id,
      email: ' Grace.Hopper@Example.com ',
      name: 'Grace',
      role: 'admin',
      password: 'navy-cobol-1959',
    });
    expect(user).toMatchObject({
      email: 'grace.hopper@example.com',
      role: 'admin',
      hasPassword: true,
      disabled: false,
    });
    expect(user).not.toHaveProperty('passwordHash');
    await expect(
      users.create({
        tenantId: a.id,
        email: 'GRACE.HOPPER@example.com',
        name: 'Dup',
        role: 'agent',
      }),
    ).rejects.toSatisfy(hasCode('user.email_taken'));
    const other = await users.create({
      tenantId: b.id,
      email: 'grace.hopper@example.com',
      name: 'G2',
      role: 'agent',
    });
    expect(other.hasPassword).toBe(false);
    expect(await users.findByEmail(a.id, 'GRACE.hopper@example.com')).toMatchObject({
      id: user.id,
    });
    expect(await users.get(user.id, { tenantId: b.id })).toBeNull();
    expect(await users.count({ tenantId: a.id, role: 'admin' })).toBe(1);
    expect((await users.listByTenant(b.id)).map((u) => u.id)).toEqual([other.id]);
  });

  it('refuses a short password and an invalid email', async () => {
    const { db } = database();
    const users = createUsersRepository({ db });
    const tenant = await makeTenant(db);
    await expect(
      users.create({
        tenantId: tenant.id,
        email: 'x@example.com',
        name: 'X',
        role: 'agent',
        password: 'short',
      }),
    ).rejects.toSatisfy(hasCode('user.weak_password'));
    await expect(
      users.create({ tenantId: tenant.id, email: 'no-at-sign', name: 'X', role: 'agent' }),
    ).rejects.toSatisfy(hasCode('user.invalid_email'));
  });

  it('authenticates with the right password only, and never a disabled user', async () => {
    const { db } = database();
    const users = createUsersRepository({ db });
    const tenant = await makeTenant(db);
    const email = `${uniqueSlug('agent')}@example.com`;
    const user = await users.create({
      tenantId: tenant.id,
      email,
      name: 'Agent',
      role: 'agent',
      password: 'first-password',
    });

    expect(await users.authenticate({ email, password: 'wrong-password' })).toBeNull();
    const ok = await users.authenticate({ email: email.toUpperCase(), password: 'first-password' });
    expect(ok?.id).toBe(user.id);
    expect(ok?.lastLoginAt).toBeInstanceOf(Date);
    expect(
      await users.authenticate({ tenantId: tenant.id, email, password: 'first-password' }),
    ).not.toBeNull();
    expect(
      await users.authenticate({ email: 'nobody@example.com', password: 'first-password' }),
    ).toBeNull();

    await users.setPassword(user.id, 'second-password');
    expect(await users.authenticate({ email, password: 'first-password' })).toBeNull();
    expect(await users.authenticate({ email, password: 'second-password' })).not.toBeNull();

    await users.update(user.id, { disabled: true });
    expect(await users.authenticate({ email, password: 'second-password' })).toBeNull();
  });

  it('resolves a session by its token until it expires or is revoked, and stores only a hash', async () => {
    const { db } = database();
    const users = createUsersRepository({ db });
    const sessions = createSessionsRepository({ db });
    const tenant = await makeTenant(db);
    const user = await users.create({
      tenantId: tenant.id,
      email: 'ses@example.com',
      name: 'S',
      role: 'agent',
    });
    const now = new Date('2030-01-01T00:00:00Z');
    const { token, session } = await sessions.create({ userId: user.id, ttlMs: 60 * 60_000, now });
    expect(token.length).toBeGreaterThanOrEqual(40);
    expect(session.expiresAt.toISOString()).toBe('2030-01-01T01:00:00.000Z');

    const resolved = await sessions.resolve(token, new Date('2030-01-01T00:30:00Z'));
    expect(resolved?.user.id).toBe(user.id);
    expect(resolved?.session.lastSeenAt.toISOString()).toBe('2030-01-01T00:30:00.000Z');
    expect(await sessions.resolve(`${token}x`, now)).toBeNull();
    expect(await sessions.resolve(token, new Date('2030-01-01T01:00:01Z'))).toBeNull();

    await users.update(user.id, { disabled: true });
    expect(await sessions.resolve(token, now)).toBeNull();
    await users.update(user.id, { disabled: false });
    expect(await sessions.resolve(token, now)).not.toBeNull();

    await sessions.revoke(token);
    expect(await sessions.resolve(token, now)).toBeNull();
  });

  it('deletes expired sessions and all sessions of a user', async () => {
    const { db } = database();
    const users = createUsersRepository({ db });
    const sessions = createSessionsRepository({ db });
    const tenant = await makeTenant(db);
    const user = await users.create({
      tenantId: tenant.id,
      email: 'many@example.com',
      name: 'M',
      role: 'agent',
    });
    const longAgo = new Date('2001-01-01T00:00:00Z');
    await sessions.create({ userId: user.id, ttlMs: 1000, now: longAgo });
    const live = await sessions.create({ userId: user.id, ttlMs: 60_000 });
    expect(await sessions.deleteExpired(new Date('2001-01-02T00:00:00Z'))).toBeGreaterThanOrEqual(
      1,
    );
    expect(await sessions.resolve(live.token)).not.toBeNull();
    expect(await sessions.revokeAllForUser(user.id)).toBe(1);
    expect(await sessions.resolve(live.token)).toBeNull();
  });

  it('shows an API key once, verifies it by hash, records its use and honours revocation', async () => {
    const { db } = database();
    const apiKeys = createApiKeysRepository({ db });
    const tenant = await makeTenant(db);
    const { apiKey, plaintext } = await apiKeys.create({
      tenantId: tenant.id,
      name: 'CRM sync',
      role: 'agent',
    });
    expect(plaintext).toMatch(new RegExp(`^mr_${apiKey.prefix}_[A-Za-z0-9_-]{40,}$`));
    expect(apiKey).not.toHaveProperty('keyHash');
    expect(apiKey.lastUsedAt).toBeNull();

    const verified = await apiKeys.verify(plaintext);
    expect(verified?.id).toBe(apiKey.id);
    expect(verified?.lastUsedAt).toBeInstanceOf(Date);
    expect(
      await apiKeys.verify(`${plaintext.slice(0, -1)}${plaintext.endsWith('A') ? 'B' : 'A'}`),
    ).toBeNull();
    expect(await apiKeys.verify('mr_nothing')).toBeNull();
    expect((await apiKeys.listByTenant(tenant.id)).map((key) => key.name)).toEqual(['CRM sync']);
    expect(await apiKeys.get(apiKey.id, { tenantId: tenant.id })).toMatchObject({ id: apiKey.id });

    const revoked = await apiKeys.revoke(apiKey.id);
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await apiKeys.verify(plaintext)).toBeNull();
    expect((await apiKeys.revoke(apiKey.id)).revokedAt).toEqual(revoked.revokedAt);
    await expect(
      apiKeys.create({ tenantId: tenant.id, name: '  ', role: 'agent' }),
    ).rejects.toSatisfy(hasCode('api_key.invalid_name'));
  });
});
