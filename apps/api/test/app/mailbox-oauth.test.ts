/**
 * "Sign in with Microsoft" through the API against the testkit Entra ID fake and an
 * XOAUTH2-only Dovecot (like Office 365): authorize sets a sealed sign-in cookie, the
 * browser leg is followed on the fake's authorize endpoint, the callback stores MSAL's cache
 * encrypted and clears auth_required, and a Test Connection then logs in over XOAUTH2.
 * Unknown or tampered sign-ins end on the admin app with an error code; no secret leaks.
 */
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import { createMailboxesRepository, createSecretBox } from '@mailroom/db';
import { startDovecot, startEntraFake, type Dovecot, type EntraFake } from '@mailroom/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookiePair } from '../support';
import {
  dovecotConnection,
  expectNoSecrets,
  startTestApp,
  type TestContext,
} from '../mailbox-support';

const USER = 'agent@contoso.test';
const REDIRECT_URL = 'https://mailroom.test/api/v1/oauth/callback';
const TENANT = randomUUID();
const CLIENT_ID = randomUUID();
const CLIENT_SECRET = `secret~${randomUUID()}`;

let t: TestContext;
let fake: EntraFake;
let dovecot: Dovecot;
let mailboxId: string;
const secrets: string[] = [CLIENT_SECRET];

/** The admin's browser at Microsoft: GET the sign-in URL, read where it redirects. */
const followSignIn = (url: string): Promise<URL> =>
  new Promise((resolve, reject) => {
    https
      .get(url, (response) => {
        response.resume();
        const location = response.headers.location;
        if (response.statusCode !== 302 || location === undefined) {
          reject(new Error(`authorize answered ${response.statusCode ?? 0}`));
          return;
        }
        resolve(new URL(location));
      })
      .on('error', reject);
  });

const repository = () =>
  createMailboxesRepository({
    db: t.database.db,
    secretBox: createSecretBox({ masterKey: t.secretKey }),
  });

const authorize = async (id: string) => {
  const response = await t.send('POST', `/api/v1/mailboxes/${id}/oauth/authorize`);
  const text = await response.text();
  t.bodies.push(text);
  return { response, body: JSON.parse(text) as { url: string; code?: string } };
};

const callback = (query: URLSearchParams, cookie = '') =>
  t.app.request(`/api/v1/oauth/callback?${query.toString()}`, { headers: { cookie } });

beforeAll(async () => {
  fake = await startEntraFake();
  fake.registerApp({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    tenant: TENANT,
    redirectUris: [REDIRECT_URL],
  });
  dovecot = await startDovecot({ oauth2: { introspectionUrl: fake.introspectionUrl, only: true } });
  t = await startTestApp();
  const created = await t.call<{ id: string }>('POST', '/api/v1/mailboxes', {
    settings: {
      name: 'Office 365',
      connection: dovecotConnection(dovecot, USER, 'oauth2'),
      oauth: {
        flow: 'authorization_code',
        tenantId: TENANT,
        clientId: CLIENT_ID,
        redirectUrl: REDIRECT_URL,
        scope: 'https://outlook.office365.com/IMAP.AccessAsUser.All offline_access',
        tokenEndpoint: fake.tokenEndpoint(TENANT),
      },
      policy: {},
      reading: {},
    },
    secrets: { clientSecret: CLIENT_SECRET },
  });
  expect(created.status).toBe(201);
  mailboxId = created.body.id;
});

afterAll(async () => {
  const cache = (await repository().getSecrets(mailboxId)).msalCache;
  if (cache) {
    const parsed = JSON.parse(cache) as Record<string, Record<string, { secret?: string }>>;
    for (const section of Object.values(parsed)) {
      for (const entry of Object.values(section ?? {}))
        if (entry.secret) secrets.push(entry.secret);
    }
  }
  expectNoSecrets([...t.bodies, ...t.logs.lines], secrets);
  await t?.close();
  await dovecot?.stop();
  await fake?.stop();
});

describe('Sign in with Microsoft', () => {
  it('cannot test an authorization-code mailbox before anyone signed in', async () => {
    const { status, body } = await t.call('POST', `/api/v1/mailboxes/${mailboxId}/test-connection`);
    expect(status).toBe(422);
    expect(body).toMatchObject({
      code: 'mailbox.configuration_incomplete',
      errors: [{ path: 'oauth.signIn' }],
    });
  });

  it('round-trips authorize -> Microsoft -> callback, stores the cache and then logs in over XOAUTH2', async () => {
    await repository().updateHealth(mailboxId, {
      state: 'auth_required',
      lastErrorCode: 'mail.oauth_reauth_required',
      lastErrorMessage: 'Sign in again.',
    });
    const before = await t.call<{ settingsVersion: number }>(
      'GET',
      `/api/v1/mailboxes/${mailboxId}`,
    );

    const { response, body } = await authorize(mailboxId);
    expect(response.status).toBe(200);
    const setCookie = response.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^mailroom_oauth_[\w-]+=/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Path=/api/v1/oauth/callback');
    expect(setCookie).toMatch(/Max-Age=600/);
    const signInUrl = new URL(body.url);
    expect(signInUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(signInUrl.searchParams.get('redirect_uri')).toBe(REDIRECT_URL);
    expect(setCookie).not.toContain(signInUrl.searchParams.get('state'));

    fake.signIn(USER);
    const back = await followSignIn(body.url);
    expect(back.origin + back.pathname).toBe(REDIRECT_URL);
    const code = back.searchParams.get('code');
    expect(code).toBeTruthy();
    secrets.push(code!);

    const done = await callback(back.searchParams, cookiePair(setCookie));
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe(`/mailboxes/${mailboxId}?oauth=connected`);
    expect(done.headers.get('set-cookie')).toMatch(/Max-Age=0/);

    const after = await t.call<{
      settingsVersion: number;
      secretsPresent: { msalCache: boolean };
      health: { state: string; lastErrorCode: string | null };
    }>('GET', `/api/v1/mailboxes/${mailboxId}`);
    expect(after.body.secretsPresent.msalCache).toBe(true);
    expect(after.body.health).toMatchObject({ state: 'idle', lastErrorCode: null });
    expect(after.body.settingsVersion).toBeGreaterThan(before.body.settingsVersion);

    const report = await t.call<{ ok: boolean; steps: Array<{ name: string; detail: string }> }>(
      'POST',
      `/api/v1/mailboxes/${mailboxId}/test-connection`,
    );
    expect(report.status).toBe(200);
    expect(report.body.ok).toBe(true);
    expect(report.body.steps.find((step) => step.name === 'authenticate')?.detail).toContain(
      'XOAUTH2',
    );
    expect(await dovecot.countLogins(USER)).toBeGreaterThan(0);

    // The same sign-in cannot be replayed: the code is spent and the cookie is gone.
    const replay = await callback(back.searchParams);
    expect(replay.headers.get('location')).toBe(
      '/mailboxes?oauth=error&code=oauth.sign_in_expired',
    );
  });

  it('refuses a callback whose state does not match the sealed sign-in', async () => {
    const { response, body } = await authorize(mailboxId);
    const cookie = cookiePair(response.headers.get('set-cookie'));
    const state = new URL(body.url).searchParams.get('state')!;
    const forged = new URLSearchParams({ code: 'forged-code', state: `${state}x` });
    const answer = await callback(forged, cookie);
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe(
      '/mailboxes?oauth=error&code=oauth.sign_in_expired',
    );
    // A cookie altered by the browser does not open either.
    const [name, value] = cookie.split('=') as [string, string];
    const flipped = `${name}=${value.slice(0, -2)}${value.endsWith('A') ? 'B' : 'A'}${value.slice(-1)}`;
    const tampered = await callback(new URLSearchParams({ code: 'x', state }), flipped);
    expect(tampered.headers.get('location')).toBe(
      '/mailboxes?oauth=error&code=oauth.sign_in_expired',
    );
  });

  it('sends the admin back to the mailbox with the error code when Microsoft refused', async () => {
    const { response, body } = await authorize(mailboxId);
    const state = new URL(body.url).searchParams.get('state')!;
    const answer = await callback(
      new URLSearchParams({
        error: 'access_denied',
        error_description: 'The user declined.',
        state,
      }),
      cookiePair(response.headers.get('set-cookie')),
    );
    const location = new URL(answer.headers.get('location')!, 'http://admin.test');
    expect(location.pathname).toBe(`/mailboxes/${mailboxId}`);
    expect(location.searchParams.get('oauth')).toBe('error');
    expect(location.searchParams.get('code')).toMatch(/^mail\./);
  });

  it('refuses to start a sign-in for a password mailbox with 422', async () => {
    const created = await t.call<{ id: string }>('POST', '/api/v1/mailboxes', {
      settings: {
        name: 'Password box',
        connection: dovecotConnection(dovecot, 'someone'),
        policy: {},
        reading: {},
      },
    });
    const { response, body } = await authorize(created.body.id);
    expect(response.status).toBe(422);
    expect(body).toMatchObject({
      code: 'mailbox.configuration_incomplete',
      errors: [{ path: 'settings.oauth' }],
    });
    expect(response.headers.get('set-cookie')).toBeNull();
  });
});
