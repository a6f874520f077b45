/**
 * XOAUTH2 against the private Dovecot (XOAUTH2 only, like Office 365) with tokens from the
 * testkit Entra ID fake (HTTPS, rotating refresh tokens: a redeemed one is revoked). All three
 * credential routes, revocation, rotation across a simulated process restart, refresh ahead of
 * expiry, single-flight refreshes, and no secret in any error or log line.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailboxSecrets, OAuthSettings } from '@mailroom/domain';
import {
  startDovecot,
  startEntraFake,
  type Dovecot,
  type EntraApp,
  type EntraFake,
} from '@mailroom/testkit';
import {
  classifyFailure,
  completeAuthorization,
  createMemoryTokenCacheStore,
  createTokenProvider,
  openImapSession,
  startAuthorization,
  testConnection,
  type TokenCacheStore,
  type TokenProviderOptions,
} from '../../src/index';
import { followSignIn, oauthSettings, registerApp, REDIRECT_URL } from '../support/entra-support';
import {
  captureLog,
  caught,
  dovecotEndpoint,
  errorTexts,
  expectNoSecrets,
  waitForLogin,
} from '../support/mail-test-support';

const USER = 'agent@contoso.test';
const SHARED = 'shared@contoso.test';
let fake: EntraFake;
let dovecot: Dovecot;
let app: EntraApp;
const log = captureLog();
const produced: unknown[] = [];
const secrets = new Set<string>();
const stores: TokenCacheStore[] = [];

/** Every token MSAL stored (access and refresh), so the leak check knows them. */
const rememberCacheSecrets = async () => {
  for (const store of stores) {
    const cache = await store.load();
    if (cache === null) continue;
    const parsed = JSON.parse(cache) as Record<string, Record<string, { secret?: string }>>;
    for (const section of Object.values(parsed)) {
      for (const entry of Object.values(section ?? {})) if (entry.secret) secrets.add(entry.secret);
    }
  }
};

const newStore = () => {
  const store = createMemoryTokenCacheStore();
  stores.push(store);
  return store;
};

const provider = (
  settings: OAuthSettings,
  username: string,
  mailboxSecrets: MailboxSecrets,
  store: TokenCacheStore,
  extra: Partial<TokenProviderOptions> = {},
) =>
  createTokenProvider({
    settings,
    username,
    secrets: mailboxSecrets,
    store,
    tokenEndpointCa: fake.caPem,
    logger: log.logger,
    ...extra,
  });

const connect = (username: string, tokens: ReturnType<typeof provider>, timeoutMs = 5000) =>
  openImapSession(
    dovecotEndpoint(dovecot, username, 'implicit', { connectionTimeoutMs: timeoutMs }),
    { type: 'oauth2', tokens },
    { logger: log.logger },
  );

const connectAndClose = async (username: string, tokens: ReturnType<typeof provider>) => {
  const session = await connect(username, tokens);
  expect(session.client.authenticated).toBeTruthy();
  await session.close();
};

beforeAll(async () => {
  fake = await startEntraFake();
  app = registerApp(fake, { appMailbox: SHARED });
  secrets.add(app.clientSecret);
  dovecot = await startDovecot({ oauth2: { introspectionUrl: fake.introspectionUrl, only: true } });
});

afterAll(async () => {
  await rememberCacheSecrets();
  expect(secrets.size).toBeGreaterThan(5);
  expectNoSecrets([...produced, ...log.lines], secrets);
  // a custom token endpoint means no discovery (metadata) requests at all
  expect(fake?.count({ endpoint: 'metadata' })).toBe(0);
  await dovecot?.stop();
  await fake?.stop();
});

describe('XOAUTH2 through each credential route', () => {
  it('Sign in with Microsoft: authorization code with PKCE and state, then IMAP with the stored result', async () => {
    const settings = oauthSettings(fake, app, 'authorization_code');
    fake.signIn(USER);
    const { url, pending } = await startAuthorization({
      settings,
      secrets: { clientSecret: app.clientSecret },
      loginHint: USER,
      tokenEndpointCa: fake.caPem,
    });
    const query = new URL(url).searchParams;
    expect(url.startsWith(fake.authorizeEndpoint(app.tenant))).toBe(true);
    expect(query.get('code_challenge_method')).toBe('S256');
    expect(query.get('state')).toBe(pending.state);
    expect(query.get('redirect_uri')).toBe(REDIRECT_URL);
    expect(url).not.toContain(pending.codeVerifier);

    const callback = await followSignIn(url, fake.caPem);
    expect(callback.code).toBeTypeOf('string');
    secrets.add(callback.code ?? '');
    secrets.add(pending.codeVerifier);
    const store = newStore();
    const completed = await completeAuthorization({
      settings,
      secrets: { clientSecret: app.clientSecret },
      store,
      pending,
      callback,
      tokenEndpointCa: fake.caPem,
    });
    expect(completed.username).toBe(USER);
    expect(await store.load()).not.toBeNull();

    await connectAndClose(
      USER,
      provider(settings, USER, { clientSecret: app.clientSecret }, store),
    );
    const logins = await waitForLogin(dovecot, USER);
    expect(logins.at(-1)).toMatchObject({ success: true, user: USER });
    expect(logins.at(-1)?.method).toMatch(/XOAUTH2/i);
  });

  it('refuses a callback whose state does not match, without redeeming the code', async () => {
    const settings = oauthSettings(fake, app, 'authorization_code');
    fake.signIn(USER);
    const { url, pending } = await startAuthorization({
      settings,
      secrets: { clientSecret: app.clientSecret },
      tokenEndpointCa: fake.caPem,
    });
    const callback = await followSignIn(url, fake.caPem);
    secrets.add(callback.code ?? '');
    secrets.add(pending.codeVerifier);
    const before = fake.count({ endpoint: 'token' });
    const error = await caught(
      completeAuthorization({
        settings,
        secrets: { clientSecret: app.clientSecret },
        store: newStore(),
        pending,
        callback: { ...callback, state: 'forged-state' },
        tokenEndpointCa: fake.caPem,
      }),
    );
    produced.push(...errorTexts(error));
    expect(error.code).toBe('mail.oauth_reauth_required');
    expect(fake.count({ endpoint: 'token' })).toBe(before);
  });

  it('a pasted refresh token is moved into the cache on first use', async () => {
    const settings = oauthSettings(fake, app, 'refresh_token');
    const pasted = fake.issueRefreshToken({ clientId: app.clientId, username: USER });
    secrets.add(pasted);
    const store = newStore();
    await connectAndClose(
      USER,
      provider(settings, USER, { clientSecret: app.clientSecret, refreshToken: pasted }, store),
    );
    expect(await store.load()).toContain('RefreshToken');
  });

  it('app-only client credentials log in as the mailbox user', async () => {
    const settings = oauthSettings(fake, app, 'client_credentials');
    await connectAndClose(
      SHARED,
      provider(settings, SHARED, { clientSecret: app.clientSecret }, newStore()),
    );
    expect(
      fake.count({ endpoint: 'token', grantType: 'client_credentials', status: 200 }),
    ).toBeGreaterThan(0);
  });

  it('Test Connection reports the token step and lists the folders over XOAUTH2', async () => {
    const settings = oauthSettings(fake, app, 'refresh_token');
    const pasted = fake.issueRefreshToken({ clientId: app.clientId, username: USER });
    secrets.add(pasted);
    const store = newStore();
    const report = await testConnection({
      connection: { ...dovecotEndpoint(dovecot, USER, 'starttls'), authType: 'oauth2' },
      secrets: { clientSecret: app.clientSecret, refreshToken: pasted },
      oauth: settings,
      tokenStore: store,
      tokenEndpointCa: fake.caPem,
      logger: log.logger,
    });
    produced.push(report);
    expect(report.error).toBeUndefined();
    expect(report.steps.map((step) => step.name)).toEqual([
      'resolve',
      'token',
      'connect',
      'greeting',
      'authenticate',
      'tls',
      'authenticate',
      'list_folders',
    ]);
    expect(
      report.steps.find((step) => step.name === 'authenticate' && step.detail.includes('XOAUTH2')),
    ).toBeDefined();
    expect(report.folders.map((folder) => folder.path)).toContain('INBOX');
  });
});

describe('refresh token rotation', () => {
  it('survives a process restart: a new provider over the same store logs in after the old refresh token was revoked', async () => {
    const settings = oauthSettings(fake, app, 'refresh_token');
    const pasted = fake.issueRefreshToken({ clientId: app.clientId, username: USER });
    secrets.add(pasted);
    const store = newStore();
    const mailboxSecrets = { clientSecret: app.clientSecret, refreshToken: pasted };

    const first = provider(settings, USER, mailboxSecrets, store);
    await connectAndClose(USER, first);
    // force a second rotation in the first "process"
    const rotated = await first.getAccessToken({ forceRefresh: true });
    secrets.add(rotated.accessToken);
    fake.revokeRefreshToken(pasted);
    fake.expireAccessTokens();

    // "restart": nothing in memory survives but the store (and the stale pasted secret)
    const afterRestart = provider(settings, USER, mailboxSecrets, store);
    await connectAndClose(USER, afterRestart);

    // without the store, the pasted token alone is dead
    const error = await caught(connect(USER, provider(settings, USER, mailboxSecrets, newStore())));
    produced.push(...errorTexts(error));
    expect(error.code).toBe('mail.oauth_reauth_required');
  });

  it('refreshes ahead of expiry, once for many concurrent callers, and saves the rotated token', async () => {
    const settings = oauthSettings(fake, app, 'refresh_token');
    const pasted = fake.issueRefreshToken({ clientId: app.clientId, username: USER });
    secrets.add(pasted);
    const store = newStore();
    let offsetMs = 0;
    const tokens = provider(
      settings,
      USER,
      { clientSecret: app.clientSecret, refreshToken: pasted },
      store,
      {
        now: () => Date.now() + offsetMs,
        refreshMarginMs: 5 * 60 * 1000,
      },
    );
    const first = await tokens.getAccessToken();
    secrets.add(first.accessToken);
    expect(first.fromCache).toBe(false);
    expect((await tokens.getAccessToken()).accessToken).toBe(first.accessToken);

    const refreshesBefore = fake.count({ endpoint: 'token', grantType: 'refresh_token' });
    const savedBefore = await store.load();
    offsetMs = first.expiresAt.getTime() - Date.now() - 60_000; // one minute before expiry
    const results = await Promise.all(Array.from({ length: 10 }, () => tokens.getAccessToken()));
    const distinct = new Set(results.map((result) => result.accessToken));
    expect(distinct.size).toBe(1);
    expect(distinct.has(first.accessToken)).toBe(false);
    for (const token of distinct) secrets.add(token);
    expect(fake.count({ endpoint: 'token', grantType: 'refresh_token' })).toBe(refreshesBefore + 1);
    expect(await store.load()).not.toBe(savedBefore);

    offsetMs = 0;
    await connectAndClose(USER, tokens);
  });
});

describe('re-authorization and app problems are recognised', () => {
  it('a revoked grant fails with oauth_reauth_required, even while an access token is cached', async () => {
    const settings = oauthSettings(fake, app, 'refresh_token');
    const pasted = fake.issueRefreshToken({ clientId: app.clientId, username: USER });
    secrets.add(pasted);
    const tokens = provider(
      settings,
      USER,
      { clientSecret: app.clientSecret, refreshToken: pasted },
      newStore(),
    );
    await connectAndClose(USER, tokens);

    fake.revokeAll(USER);
    const error = await caught(connect(USER, tokens));
    produced.push(...errorTexts(error));
    expect(error.code).toBe('mail.oauth_reauth_required');
    expect(error.details.phase).toBe('token');
    expect(classifyFailure(error)).toBe('auth');
    expect(error.message).toMatch(/Sign in with Microsoft again/);
  });

  it('an expired client secret fails with oauth_invalid_client', async () => {
    const own = registerApp(fake, { appMailbox: SHARED });
    secrets.add(own.clientSecret);
    fake.expireClientSecret(own.clientId);
    const settings = oauthSettings(fake, own, 'client_credentials');
    const error = await caught(
      connect(SHARED, provider(settings, SHARED, { clientSecret: own.clientSecret }, newStore())),
    );
    produced.push(...errorTexts(error));
    expect(error.code).toBe('mail.oauth_invalid_client');
    expect(error.details.aadsts).toBe('AADSTS7000222');
    expect(error.message).toMatch(/client secret has expired/);
    expect(classifyFailure(error)).toBe('auth');
  });

  it('revoked consent (AADSTS65001) fails with oauth_reauth_required', async () => {
    const own = registerApp(fake);
    secrets.add(own.clientSecret);
    const pasted = fake.issueRefreshToken({ clientId: own.clientId, username: USER });
    secrets.add(pasted);
    fake.setConsentRevoked(own.clientId, true);
    const settings = oauthSettings(fake, own, 'refresh_token');
    const error = await caught(
      connect(
        USER,
        provider(
          settings,
          USER,
          { clientSecret: own.clientSecret, refreshToken: pasted },
          newStore(),
        ),
      ),
    );
    produced.push(...errorTexts(error));
    expect(error.code).toBe('mail.oauth_reauth_required');
    expect(error.details.aadsts).toBe('AADSTS65001');
  });

  it('no stored sign-in and no pasted token asks for a sign-in', async () => {
    const settings = oauthSettings(fake, app, 'authorization_code');
    const error = await caught(
      connect(USER, provider(settings, USER, { clientSecret: app.clientSecret }, newStore())),
    );
    expect(error.code).toBe('mail.oauth_reauth_required');
  });
});

describe('the token endpoint', () => {
  it('unreachable: oauth_endpoint_unreachable, retried by the worker', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const settings = oauthSettings(fake, app, 'client_credentials', {
      tokenEndpoint: `https://127.0.0.1:${port}/${app.tenant}/oauth2/v2.0/token`,
    });
    const error = await caught(
      connect(SHARED, provider(settings, SHARED, { clientSecret: app.clientSecret }, newStore())),
    );
    produced.push(...errorTexts(error));
    expect(error.code).toBe('mail.oauth_endpoint_unreachable');
    expect(classifyFailure(error)).toBe('transient');
  });

  it('temporarily unavailable (503): oauth_endpoint_unreachable', async () => {
    fake.failNext(1);
    const settings = oauthSettings(fake, app, 'client_credentials');
    const error = await caught(
      connect(SHARED, provider(settings, SHARED, { clientSecret: app.clientSecret }, newStore())),
    );
    expect(error.code).toBe('mail.oauth_endpoint_unreachable');
  });

  it('too slow: the connection timeout covers the token request', async () => {
    fake.setResponseDelay(3000);
    try {
      const settings = oauthSettings(fake, app, 'client_credentials');
      const started = performance.now();
      const error = await caught(
        connect(
          SHARED,
          provider(settings, SHARED, { clientSecret: app.clientSecret }, newStore()),
          1000,
        ),
      );
      expect(error.code).toBe('mail.timeout');
      expect(error.details.phase).toBe('token');
      expect(performance.now() - started).toBeLessThan(1500);
    } finally {
      fake.setResponseDelay(0);
    }
  });
});
