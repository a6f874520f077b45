/**
 * A wrong password is a human's problem, not an outage: the server's AUTHENTICATIONFAILED
 * (`mail.auth_failed`, class `auth`) parks the mailbox in `auth_required` after ONE attempt —
 * no backoff rounds that could lock the account — and the admin's corrected password (a secret
 * write, which bumps settings_version) resumes it within seconds, without a restart.
 * Asserted on Dovecot's own log. Runs on PGlite and PostgreSQL.
 */
import type { Database, Repositories } from '@mailroom/db';
import { generateMail, startDovecot, type Dovecot } from '@mailroom/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestEngine } from '../src/index';
import { engines } from './support/engines';
import {
  captureLogs,
  createTestMailbox,
  ledgerCounts,
  repositoriesFor,
  startEngine,
  waitFor,
} from './support/fixtures';
import { pause } from './support/oauth-mailbox';

describe.each(engines)('wrong password on $kind', (engine) => {
  let dovecot: Dovecot;
  let database: Database;
  let repositories: Repositories;
  let running: IngestEngine | null = null;
  const logs = captureLogs();

  beforeAll(async () => {
    [dovecot, database] = await Promise.all([startDovecot(), engine.openMigrated()]);
    repositories = repositoriesFor(database);
  });
  afterAll(async () => {
    if (process.env.INGEST_TEST_LOGS === '1') console.log(logs.lines.join(''));
    await running?.stop();
    await database?.close();
    await dovecot?.stop();
  });

  it('stops after one refused login with auth_required and "update the password", and resumes within seconds once the admin stores the right one', async () => {
    // maxTries 5 with 5 % of the backoff: a retrying mailbox would log in again within ~100 ms.
    const { mailbox, user, password } = await createTestMailbox(repositories, dovecot, {
      settings: { policy: { maxTries: 5, coolOffMinutes: 0.05 } },
    });
    await repositories.mailboxes.setSecrets(mailbox.id, { password: 'typo-in-the-password' });
    running = await startEngine(database, repositories, { logger: logs.logger });

    const parked = await waitFor('auth_required', async () => {
      const health = (await repositories.mailboxes.get(mailbox.id))!.health;
      return health.state === 'auth_required' ? health : undefined;
    });
    expect(parked.lastErrorCode).toBe('mail.auth_failed');
    expect(parked.lastErrorMessage).toMatch(/password/i);
    expect(parked.lastErrorMessage).not.toContain('typo-in-the-password');
    expect(parked.nextAttemptAt).toBeNull();

    await pause(2500);
    const attempts = (await dovecot.logins()).filter((record) => record.user === user);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.success).toBe(false);
    expect((await repositories.mailboxes.get(mailbox.id))!.health.state).toBe('auth_required');

    const fixedAt = Date.now();
    await repositories.mailboxes.setSecrets(mailbox.id, { password });
    await waitFor(
      'listening',
      async () => (await repositories.mailboxes.get(mailbox.id))!.health.state === 'listening',
      5000,
    );
    expect(Date.now() - fixedAt).toBeLessThan(5000);
    // Exactly one new session: the restart must not leave a second runner behind.
    expect(await dovecot.countLogins(user)).toBe(1);
    expect(running.snapshot().mailboxes).toHaveLength(1);
    await dovecot.append(user, 'INBOX', generateMail('password-fixed', { kind: 'plain' }).raw);
    await waitFor(
      'the ticket',
      async () => (await ledgerCounts(database, mailbox.id)).tickets === 1,
    );
    expect(logs.lines.join('')).not.toContain(password);
  });
});
