/**
 * Microsoft OAuth2 mailboxes run by the engine against the XOAUTH2-only Dovecot and the Entra ID
 * fake: mail becomes tickets; the rotated refresh token lives encrypted in the `msalCache` secret
 * so a new engine (a restarted process, same database) still logs in after the old token is
 * revoked; a revoked grant or an expired client secret parks the mailbox in `auth_required`
 * without asking Microsoft or the server again, and a new secret resumes it within seconds.
 * Runs on PGlite and PostgreSQL.
 */
import type { Database, Repositories } from '@mailroom/db';
import {
  generateMail,
  startDovecot,
  startEntraFake,
  type Dovecot,
  type EntraFake,
} from '@mailroom/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IngestEngine } from '../src/index';
import { engines } from './support/engines';
import {
  captureLogs,
  ledgerCounts,
  repositoriesFor,
  startEngine,
  waitFor,
} from './support/fixtures';
import {
  createOAuthMailbox,
  loginAttempts,
  newOAuthUser,
  pause,
  refreshTokensIn,
  registerTestApp,
  storedSecretBytes,
} from './support/oauth-mailbox';

/** How long a parked mailbox is watched for attempts: a retrying one would try many times. */
const QUIET_MS = 3000;

describe.each(engines)('Microsoft OAuth2 mailboxes on $kind', (engine) => {
  let entra: EntraFake;
  let dovecot: Dovecot;
  let database: Database;
  let repositories: Repositories;
  const running: IngestEngine[] = [];
  const logs = captureLogs();

  const start = async () => {
    const started = await startEngine(database, repositories, { logger: logs.logger });
    running.push(started);
    return started;
  };
  const healthOf = async (mailboxId: string) =>
    (await repositories.mailboxes.get(mailboxId))!.health;
  const waitForState = (mailboxId: string, state: string, timeoutMs = 15_000) =>
    waitFor(
      `health ${state}`,
      async () => {
        const health = await healthOf(mailboxId);
        return health.state === state ? health : undefined;
      },
      timeoutMs,
    );

  beforeAll(async () => {
    entra = await startEntraFake();
    [dovecot, database] = await Promise.all([
      startDovecot({ oauth2: { introspectionUrl: entra.introspectionUrl, only: true } }),
      engine.openMigrated(),
    ]);
    repositories = repositoriesFor(database);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((started) => started.stop()));
    // One mailbox per test: park the earlier ones so later counters see only their own.
    for (const mailbox of await repositories.mailboxes.listActive())
      await repositories.mailboxes.setStatus(mailbox.id, 'paused');
  });
  afterAll(async () => {
    if (process.env.INGEST_TEST_LOGS === '1') console.log(logs.lines.join(''));
    await database?.close();
    await dovecot?.stop();
    await entra?.stop();
  });

  it('ingests over XOAUTH2 with a pasted refresh token, keeps the rotated token encrypted, and a restarted engine logs in with it after the old one is revoked', async () => {
    const app = registerTestApp(entra);
    const user = newOAuthUser();
    const pasted = entra.issueRefreshToken({ clientId: app.clientId, username: user });
    const mailbox = await createOAuthMailbox(repositories, {
      dovecot,
      entra,
      app,
      user,
      flow: 'refresh_token',
      secrets: { refreshToken: pasted, clientSecret: app.clientSecret },
    });

    const first = await start();
    await waitForState(mailbox.id, 'listening');
    await dovecot.append(user, 'INBOX', generateMail('oauth-1', { kind: 'plain' }).raw);
    await waitFor(
      'the first ticket',
      async () => (await ledgerCounts(database, mailbox.id)).tickets === 1,
    );

    // The pasted token was redeemed once and its rotated successor is in the stored MSAL cache.
    expect(entra.count({ clientId: app.clientId, grantType: 'refresh_token', status: 200 })).toBe(
      1,
    );
    const rotated = refreshTokensIn(
      (await repositories.mailboxes.getSecrets(mailbox.id)).msalCache,
    );
    expect(rotated).toHaveLength(1);
    expect(rotated[0]).not.toBe(pasted);
    // Encrypted at rest: the database bytes do not contain the token, and the cache writes did
    // not bump settings_version (the runner would otherwise restart itself after every refresh).
    const stored = await storedSecretBytes(database, mailbox.id, 'msal_cache');
    expect(stored.includes(Buffer.from(rotated[0]!))).toBe(false);
    expect((await repositories.mailboxes.get(mailbox.id))!.settingsVersion).toBe(
      mailbox.settingsVersion,
    );

    // "Process restart": the engine stops; Microsoft revokes the old token and every access
    // token expires, so the next login needs the rotated refresh token from the database.
    await first.stop();
    running.splice(running.indexOf(first), 1);
    entra.revokeRefreshToken(pasted);
    entra.expireAccessTokens();
    repositories = repositoriesFor(database);
    const loginsBefore = await dovecot.countLogins(user);

    await start();
    await waitForState(mailbox.id, 'listening');
    await dovecot.append(user, 'INBOX', generateMail('oauth-2', { kind: 'plain' }).raw);
    await waitFor(
      'the second ticket',
      async () => (await ledgerCounts(database, mailbox.id)).tickets === 2,
    );
    expect(await dovecot.countLogins(user)).toBeGreaterThan(loginsBefore);
    expect(entra.count({ clientId: app.clientId, grantType: 'refresh_token', status: 200 })).toBe(
      2,
    );
    const rotatedAgain = refreshTokensIn(
      (await repositories.mailboxes.getSecrets(mailbox.id)).msalCache,
    );
    expect(rotatedAgain).toHaveLength(1);
    expect(rotatedAgain[0]).not.toBe(rotated[0]);
    const log = logs.lines.join('');
    for (const secret of [pasted, ...rotated, ...rotatedAgain, app.clientSecret])
      expect(log).not.toContain(secret);
  });

  it('parks a mailbox whose grant was revoked in auth_required, asks neither Microsoft nor the server again, and resumes within seconds after a new refresh token is pasted', async () => {
    const app = registerTestApp(entra);
    const user = newOAuthUser();
    const mailbox = await createOAuthMailbox(repositories, {
      dovecot,
      entra,
      app,
      user,
      flow: 'refresh_token',
      secrets: {
        refreshToken: entra.issueRefreshToken({ clientId: app.clientId, username: user }),
        clientSecret: app.clientSecret,
      },
    });
    const started = await start();
    await waitForState(mailbox.id, 'listening');

    // The user's password was reset: every token is revoked. The server then drops the session.
    entra.revokeAll(user);
    await dovecot.restart();
    const parked = await waitForState(mailbox.id, 'auth_required');
    expect(parked.lastErrorCode).toBe('mail.oauth_reauth_required');
    expect(parked.lastErrorMessage).toMatch(/Microsoft|sign in/i);
    expect(parked.nextAttemptAt).toBeNull();

    await pause(300);
    const tokenRequests = entra.count({ clientId: app.clientId, endpoint: 'token' });
    const attempts = await loginAttempts(dovecot, user);
    await pause(QUIET_MS);
    expect(entra.count({ clientId: app.clientId, endpoint: 'token' })).toBe(tokenRequests);
    expect(await loginAttempts(dovecot, user)).toBe(attempts);
    expect((await healthOf(mailbox.id)).state).toBe('auth_required');
    expect(started.snapshot().mailboxes[0]?.health.state).toBe('auth_required');

    // The admin pastes a new refresh token: the settings_version bump restarts the runner.
    const changedAt = Date.now();
    await repositories.mailboxes.setSecrets(mailbox.id, {
      refreshToken: entra.issueRefreshToken({ clientId: app.clientId, username: user }),
    });
    await waitForState(mailbox.id, 'listening', 5000);
    expect(Date.now() - changedAt).toBeLessThan(5000);
    await dovecot.append(user, 'INBOX', generateMail('oauth-3', { kind: 'plain' }).raw);
    await waitFor(
      'the ticket',
      async () => (await ledgerCounts(database, mailbox.id)).tickets === 1,
    );
  });

  it('parks a mailbox whose consent was withdrawn in auth_required and resumes after consent is given again and the token is re-entered', async () => {
    const app = registerTestApp(entra);
    const user = newOAuthUser();
    const mailbox = await createOAuthMailbox(repositories, {
      dovecot,
      entra,
      app,
      user,
      flow: 'refresh_token',
      secrets: {
        refreshToken: entra.issueRefreshToken({ clientId: app.clientId, username: user }),
        clientSecret: app.clientSecret,
      },
    });
    await start();
    await waitForState(mailbox.id, 'listening');

    entra.setConsentRevoked(app.clientId, true, user);
    entra.expireAccessTokens();
    await dovecot.restart();
    const parked = await waitForState(mailbox.id, 'auth_required');
    expect(parked.lastErrorCode).toBe('mail.oauth_reauth_required');
    const rejected = entra.count({ clientId: app.clientId, endpoint: 'token', status: 400 });
    expect(rejected).toBeGreaterThanOrEqual(1);
    await pause(QUIET_MS);
    expect(entra.count({ clientId: app.clientId, endpoint: 'token', status: 400 })).toBe(rejected);

    entra.setConsentRevoked(app.clientId, false, user);
    await repositories.mailboxes.setSecrets(mailbox.id, {
      refreshToken: entra.issueRefreshToken({ clientId: app.clientId, username: user }),
    });
    await waitForState(mailbox.id, 'listening', 5000);
  });

  it('parks an app-only (client credentials) mailbox with an expired client secret in auth_required and resumes with the new secret', async () => {
    const user = newOAuthUser();
    const app = registerTestApp(entra, user);
    const mailbox = await createOAuthMailbox(repositories, {
      dovecot,
      entra,
      app,
      user,
      flow: 'client_credentials',
      secrets: { clientSecret: app.clientSecret },
    });
    await start();
    await waitForState(mailbox.id, 'listening');
    await dovecot.append(user, 'INBOX', generateMail('oauth-cc-1', { kind: 'plain' }).raw);
    await waitFor(
      'the first ticket',
      async () => (await ledgerCounts(database, mailbox.id)).tickets === 1,
    );
    expect(
      entra.count({ clientId: app.clientId, grantType: 'client_credentials', status: 200 }),
    ).toBe(1);

    entra.expireClientSecret(app.clientId);
    entra.expireAccessTokens();
    await dovecot.restart();
    const parked = await waitForState(mailbox.id, 'auth_required');
    expect(parked.lastErrorCode).toBe('mail.oauth_invalid_client');
    expect(parked.lastErrorMessage).not.toContain(app.clientSecret);
    await pause(300);
    const tokenRequests = entra.count({ clientId: app.clientId, endpoint: 'token' });
    const attempts = await loginAttempts(dovecot, user);
    await pause(QUIET_MS);
    expect(entra.count({ clientId: app.clientId, endpoint: 'token' })).toBe(tokenRequests);
    expect(await loginAttempts(dovecot, user)).toBe(attempts);

    const renewed = `secret~renewed-${Date.now()}`;
    entra.setClientSecret(app.clientId, renewed);
    await repositories.mailboxes.setSecrets(mailbox.id, { clientSecret: renewed });
    await waitForState(mailbox.id, 'listening', 5000);
    await dovecot.append(user, 'INBOX', generateMail('oauth-cc-2', { kind: 'plain' }).raw);
    await waitFor(
      'the second ticket',
      async () => (await ledgerCounts(database, mailbox.id)).tickets === 2,
    );
    expect(logs.lines.join('')).not.toContain(renewed);
  });
});
