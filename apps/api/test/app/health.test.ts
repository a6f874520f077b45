import type { Database } from '@mailroom/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, openTestDatabase } from '../support';

describe('health endpoints', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await database.close();
  });

  it('answers /healthz with 200 whatever the database state', async () => {
    const { app } = buildApp(database);
    const response = await app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 503 migrations_pending before migrations, then 200 after', async () => {
    const { app } = buildApp(database);
    const before = await app.request('/readyz');
    expect(before.status).toBe(503);
    expect(before.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await before.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({
      type: 'urn:mailroom:problem:health.migrations_pending',
      title: 'Service unavailable',
      status: 503,
      code: 'health.migrations_pending',
    });
    expect(problem.detail).toMatch(/mailroom migrate/);

    await database.migrate();
    const after = await app.request('/readyz');
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ status: 'ready' });
  });

  it('answers /readyz with 503 database_unreachable when the database is gone', async () => {
    const closed = await openTestDatabase({ migrate: false });
    await closed.close();
    const { app } = buildApp(closed);
    const response = await app.request('/readyz');
    expect(response.status).toBe(503);
    expect(((await response.json()) as { code: string }).code).toBe('health.database_unreachable');
  });
});
