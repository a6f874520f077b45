import type { Database } from '@mailroom/db';
import { hc } from 'hono/client';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { AppType } from '../../src/client';
import { buildApp, createTestUser, openTestDatabase } from '../support';

describe('the typed hono/client the admin app uses', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('knows every route by its literal path and talks to the real app', async () => {
    const { app } = buildApp(database);
    const client = hc<AppType>('http://mailroom.test', {
      fetch: (input: Request | string | URL, init?: RequestInit) => app.request(input, init),
    });
    // A wide path type (`/api/v1/${string}`) would make these optional; the admin build relies on them.
    expectTypeOf(client.api.v1.me.$get).toBeFunction();
    expectTypeOf(client.api.v1.auth.login.$post).toBeFunction();

    const { user, password } = await createTestUser(database);
    const login = await client.api.v1.auth.login.$post({ json: { email: user.email, password } });
    expect(login.status).toBe(200);
    if (login.status === 200) {
      const body = await login.json();
      expectTypeOf(body.me.role).toEqualTypeOf<'admin' | 'agent'>();
      expect(body.me.email).toBe(user.email);
    }
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const me = await client.api.v1.me.$get({}, { headers: { cookie } });
    expect(me.status).toBe(200);
  });
});
