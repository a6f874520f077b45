import type { Database } from '@mailroom/db';
import { MailroomError } from '@mailroom/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, requirePrincipal } from '../../src/auth/auth.middleware';
import { createAuthUsecases } from '../../src/auth/auth.usecases';
import { createErrorHandler } from '../../src/app/errors.middleware';
import { createLogger } from '../../src/app/logger';
import { requestLogger } from '../../src/app/request-logger.middleware';
import { createRouter } from '../../src/app/router';
import {
  createApiKeysRepository,
  createSessionsRepository,
  createUsersRepository,
} from '@mailroom/db';
import { buildApp, createTestApiKey, LogSink, openTestDatabase } from '../support';

describe('errors as problem+json', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  /** A bare router with the real middleware, to provoke errors no product route throws on purpose. */
  function probeApp() {
    const logs = new LogSink();
    const logger = createLogger({ level: 'info', destination: logs });
    const auth = createAuthUsecases({
      users: createUsersRepository({ db: database.db }),
      sessions: createSessionsRepository({ db: database.db }),
      apiKeys: createApiKeysRepository({ db: database.db }),
      sessionTtlMs: 60_000,
    });
    const app = createRouter();
    app.onError(createErrorHandler(logger));
    app.use(requestLogger(logger));
    app.use(authenticate({ auth, cookieName: 'mailroom_session' }));
    app.get('/conflict', () => {
      throw new MailroomError('mailbox.name_taken', 'A mailbox with this name exists already.', {
        kind: 'conflict',
        issues: [{ path: 'name', message: 'already in use' }],
      });
    });
    app.get('/boom', () => {
      throw new Error('database password is hunter2');
    });
    app.get('/admin-only', (c) => c.json({ role: requirePrincipal(c, { role: 'admin' }).role }));
    app.get('/any-role', (c) => c.json({ role: requirePrincipal(c, { role: 'agent' }).role }));
    return { app, logs };
  }

  it('maps a MailroomError to its status, code and field errors', async () => {
    const { app } = probeApp();
    const response = await app.request('/conflict');
    expect(response.status).toBe(409);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toEqual({
      type: 'urn:mailroom:problem:mailbox.name_taken',
      title: 'Conflict',
      status: 409,
      detail: 'A mailbox with this name exists already.',
      code: 'mailbox.name_taken',
      errors: [{ path: 'name', message: 'already in use' }],
      requestId: response.headers.get('x-request-id'),
    });
  });

  it('answers an unexpected error with a generic 500 and logs the real one', async () => {
    const { app, logs } = probeApp();
    const response = await app.request('/boom');
    expect(response.status).toBe(500);
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem.code).toBe('internal.unexpected');
    expect(JSON.stringify(problem)).not.toContain('hunter2');
    expect(logs.entries().some((entry) => entry.msg === 'unexpected error')).toBe(true);
  });

  it('lets an admin key through an admin-only route and stops an agent key with 403', async () => {
    const { app } = probeApp();
    const admin = await createTestApiKey(database, 'admin');
    const agent = await createTestApiKey(database, 'agent');
    const asAdmin = await app.request('/admin-only', {
      headers: { authorization: `Bearer ${admin.plaintext}` },
    });
    expect(await asAdmin.json()).toEqual({ role: 'admin' });
    const asAgent = await app.request('/admin-only', {
      headers: { authorization: `Bearer ${agent.plaintext}` },
    });
    expect(asAgent.status).toBe(403);
    expect(await asAgent.json()).toMatchObject({
      code: 'auth.forbidden',
      detail: 'This needs the admin role.',
    });
    const adminAsAgent = await app.request('/any-role', {
      headers: { authorization: `Bearer ${admin.plaintext}` },
    });
    expect(adminAsAgent.status).toBe(200);
    const anonymous = await app.request('/any-role');
    expect(anonymous.status).toBe(401);
  });

  it('answers unknown API paths with a 404 problem, never the admin app', async () => {
    const { app } = buildApp(database);
    for (const [method, path] of [
      ['GET', '/api/v1/nothing-here'],
      ['POST', '/api/v2/auth/login'],
      ['DELETE', '/api/v1/me'],
    ] as const) {
      const response = await app.request(path, { method });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(((await response.json()) as { code: string }).code).toBe('route.not_found');
    }
  });
});
