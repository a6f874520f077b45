/**
 * Shared wiring for the mailbox connectivity tests: an app on PGlite with an admin signed
 * in, JSON requests with the session cookie, and a check that no secret appears in any
 * response body or log line the test saw.
 */
import { randomBytes } from 'node:crypto';
import type { Database } from '@mailroom/db';
import type { Dovecot } from '@mailroom/testkit';
import { expect } from 'vitest';
import { buildApp, cookiePair, createTestUser, json, openTestDatabase } from './support';

export interface TestContext {
  database: Database;
  secretKey: Uint8Array;
  app: ReturnType<typeof buildApp>['app'];
  logs: ReturnType<typeof buildApp>['logs'];
  adminCookie: string;
  agentCookie: string;
  /** Every body the test received, for the leak check. */
  bodies: string[];
  send(method: string, path: string, body?: unknown, cookie?: string): Promise<Response>;
  /** send + read the body (recorded) + parse JSON. */
  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    cookie?: string,
  ): Promise<{ status: number; body: T; headers: Headers }>;
  close(): Promise<void>;
}

export async function startTestApp(): Promise<TestContext> {
  const database = await openTestDatabase();
  const secretKey = randomBytes(32);
  const { app, logs } = buildApp(database, { secretKey });
  const signIn = async (role: 'admin' | 'agent') => {
    const { user, password } = await createTestUser(database, { role });
    const response = await app.request('/api/v1/auth/login', json({ email: user.email, password }));
    return cookiePair(response.headers.get('set-cookie'));
  };
  const adminCookie = await signIn('admin');
  const agentCookie = await signIn('agent');
  const bodies: string[] = [];
  const send = async (method: string, path: string, body?: unknown, cookie = adminCookie) =>
    app.request(path, {
      method,
      headers: {
        cookie,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    database,
    secretKey,
    app,
    logs,
    adminCookie,
    agentCookie,
    bodies,
    send,
    async call<T>(method: string, path: string, body?: unknown, cookie?: string) {
      const response = await send(method, path, body, cookie);
      const text = await response.text();
      bodies.push(text);
      return {
        status: response.status,
        body: (text === '' ? {} : JSON.parse(text)) as T,
        headers: response.headers,
      };
    },
    close: () => database.close(),
  };
}

/** Connection settings for the testkit Dovecot (implicit TLS, its certificate trusted). */
export const dovecotConnection = (
  dovecot: Dovecot,
  username: string,
  authType: 'password' | 'oauth2' = 'password',
) => ({
  host: dovecot.host,
  port: dovecot.imapsPort,
  tls: 'implicit' as const,
  username,
  replyTo: 'support@mailroom.test',
  authType,
  trustedCertificatePem: dovecot.certPem,
  connectionTimeoutMs: 5000,
});

export const expectNoSecrets = (texts: readonly string[], secrets: readonly string[]) => {
  expect(secrets.length).toBeGreaterThan(0);
  for (const secret of secrets) {
    const encoded = [secret, Buffer.from(secret).toString('base64')];
    for (const text of texts) {
      for (const form of encoded)
        expect(text.includes(form), `a secret leaked into: ${text.slice(0, 200)}`).toBe(false);
    }
  }
};
