import type { Database } from '@mailroom/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApp,
  cookiePair,
  createTestApiKey,
  createTestUser,
  json,
  openTestDatabase,
} from '../support';

describe('authentication', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('signs in with email and password and sets an httpOnly SameSite=Strict session cookie', async () => {
    const { user, password } = await createTestUser(database, { role: 'admin' });
    const { app } = buildApp(database);
    const response = await app.request('/api/v1/auth/login', json({ email: user.email, password }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { me: Record<string, unknown>; expiresAt: string };
    expect(body.me).toEqual({
      kind: 'user',
      id: user.id,
      name: user.name,
      email: user.email,
      role: 'admin',
      tenantId: user.tenantId,
    });
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^mailroom_session=[^;]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain('Max-Age=3600');
    expect(cookie).not.toContain('Secure');
  });

  it('uses a Secure __Host- cookie when the public URL is https', async () => {
    const { user, password } = await createTestUser(database);
    const { app } = buildApp(database, { secure: true });
    const response = await app.request('/api/v1/auth/login', json({ email: user.email, password }));
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^__Host-mailroom_session=/);
    expect(cookie).toContain('Secure');
  });

  it('answers GET /api/v1/me with the signed-in user, and 401 after logout', async () => {
    const { user, password } = await createTestUser(database);
    const { app } = buildApp(database);
    const login = await app.request(
      '/api/v1/auth/login',
      json({ email: user.email.toUpperCase(), password }),
    );
    const cookie = cookiePair(login.headers.get('set-cookie'));

    const me = await app.request('/api/v1/me', { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      kind: 'user',
      id: user.id,
      email: user.email,
      role: 'agent',
    });

    const logout = await app.request('/api/v1/auth/logout', {
      method: 'POST',
      headers: { cookie },
    });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(/^mailroom_session=;.*Max-Age=0/);

    const after = await app.request('/api/v1/me', { headers: { cookie } });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { code: string }).code).toBe('auth.unauthenticated');
  });

  it('refuses a wrong password with a problem+json 401 that does not say which part was wrong', async () => {
    const { user } = await createTestUser(database);
    const { app } = buildApp(database);
    const response = await app.request(
      '/api/v1/auth/login',
      json({ email: user.email, password: 'not the password' }),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('set-cookie')).toBeNull();
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({
      type: 'urn:mailroom:problem:auth.invalid_credentials',
      title: 'Authentication required',
      status: 401,
      code: 'auth.invalid_credentials',
      detail: 'The email address or password is wrong.',
    });
    const unknown = await app.request(
      '/api/v1/auth/login',
      json({ email: 'nobody@example.test', password: 'x' }),
    );
    expect(((await unknown.json()) as Record<string, unknown>).detail).toBe(problem.detail);
  });

  it('lists each invalid field with its path when the login body is incomplete', async () => {
    const { app } = buildApp(database);
    const response = await app.request('/api/v1/auth/login', json({ email: '', password: 7 }));
    expect(response.status).toBe(400);
    const problem = (await response.json()) as {
      code: string;
      errors: Array<{ path: string; message: string }>;
    };
    expect(problem.code).toBe('request.invalid');
    expect(problem.errors.map((error) => error.path).sort()).toEqual(['email', 'password']);
    expect(problem.errors.find((error) => error.path === 'email')?.message).toBe(
      'enter your email address',
    );
  });

  it('answers malformed JSON with a 400 problem, not a crash', async () => {
    const { app } = buildApp(database);
    const response = await app.request('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as { code: string }).code).toBe('request.invalid');
  });

  it('accepts an API key as a Bearer token and reports it as the caller', async () => {
    const { apiKey, plaintext } = await createTestApiKey(database, 'admin');
    const { app } = buildApp(database);
    const response = await app.request('/api/v1/me', {
      headers: { authorization: `Bearer ${plaintext}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      kind: 'api_key',
      id: apiKey.id,
      name: 'test key',
      email: null,
      role: 'admin',
      tenantId: apiKey.tenantId,
    });
  });

  it('rejects an unknown or malformed API key instead of falling back to the cookie', async () => {
    const { user, password } = await createTestUser(database);
    const { app } = buildApp(database);
    const login = await app.request('/api/v1/auth/login', json({ email: user.email, password }));
    const cookie = cookiePair(login.headers.get('set-cookie'));
    for (const authorization of [
      'Bearer mr_00000000_notarealkeynotarealkey',
      'Basic dXNlcjpwYXNz',
      'Bearer',
    ]) {
      const response = await app.request('/api/v1/me', { headers: { authorization, cookie } });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(((await response.json()) as { code: string }).code).toBe('auth.invalid_api_key');
    }
  });

  it('never writes passwords, cookies or keys into the request log', async () => {
    const { user, password } = await createTestUser(database, {
      password: 'pa55word-that-must-not-leak',
    });
    const { app, logs } = buildApp(database);
    const login = await app.request('/api/v1/auth/login', json({ email: user.email, password }));
    const cookie = cookiePair(login.headers.get('set-cookie'));
    const { plaintext } = await createTestApiKey(database);
    await app.request('/api/v1/me', { headers: { cookie } });
    await app.request('/api/v1/me', { headers: { authorization: `Bearer ${plaintext}` } });

    expect(logs.text).not.toContain(password);
    expect(logs.text).not.toContain(cookie.split('=')[1]);
    expect(logs.text).not.toContain(plaintext);
    const requests = logs.entries().filter((entry) => entry.msg === 'request');
    expect(requests.map((entry) => [entry.method, entry.path, entry.status])).toEqual([
      ['POST', '/api/v1/auth/login', 200],
      ['GET', '/api/v1/me', 200],
      ['GET', '/api/v1/me', 200],
    ]);
    expect(requests[1]?.principal).toBe(`user:${user.id}`);
  });
});
