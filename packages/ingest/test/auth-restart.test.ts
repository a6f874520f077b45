/**
 * `auth_required` survives the runner: the settings_version whose credentials were refused is
 * stored on the mailbox (`auth_parked_version`), so a graceful stop keeps showing
 * `auth_required` (not `stopped`) and a NEW engine on the same database does not log in again
 * — no extra refused login per restart that could lock the account. Storing the right password
 * bumps settings_version and the mailbox resumes. Asserted on Dovecot's own log. Runs on PGlite
 * and PostgreSQL.
 */
import { generateMail } from '@mailroom/testkit';
import { describe, expect, it } from 'vitest';
import { engines } from './support/engines';
import { useEngineHarness } from './support/engine-harness';
import {
  captureLogs,
  createTestMailbox,
  ledgerCounts,
  startEngine,
  waitFor,
} from './support/fixtures';
import { pause } from './support/oauth-mailbox';

describe.each(engines)('auth_required across an engine restart on $kind', (engine) => {
  const logs = captureLogs();
  const h = useEngineHarness(engine, { logs });

  it('a new engine does not log in again with the refused password, keeps auth_required, and resumes once the right one is stored', async () => {
    const { mailbox, user, password } = await createTestMailbox(h.repositories, h.dovecot, {
      settings: { policy: { maxTries: 5, coolOffMinutes: 0.05 } },
    });
    await h.repositories.mailboxes.setSecrets(mailbox.id, { password: 'typo-in-the-password' });
    const version = (await h.repositories.mailboxes.get(mailbox.id))!.settingsVersion;
    const attemptsOf = async () =>
      (await h.dovecot.logins()).filter((record) => record.user === user);

    h.running = await startEngine(h.database, h.repositories, { logger: logs.logger });
    await waitFor('auth_required', async () => {
      const stored = (await h.repositories.mailboxes.get(mailbox.id))!;
      return stored.health.state === 'auth_required' ? stored : undefined;
    });
    const parked = (await h.repositories.mailboxes.get(mailbox.id))!;
    expect(parked.authParkedVersion).toBe(version);
    expect(parked.health.lastErrorCode).toBe('mail.auth_failed');
    expect(await attemptsOf()).toHaveLength(1);

    // Graceful stop: health keeps auth_required, the park stays, the lease is released.
    await h.running.stop();
    h.running = null;
    const afterStop = (await h.repositories.mailboxes.get(mailbox.id))!;
    expect(afterStop.health.state).toBe('auth_required');
    expect(afterStop.health.lastErrorCode).toBe('mail.auth_failed');
    expect(afterStop.authParkedVersion).toBe(version);
    expect(afterStop.lease.owner).toBeNull();

    // A new engine (new worker id) on the same database takes the mailbox but does not connect.
    h.running = await startEngine(h.database, h.repositories, { logger: logs.logger });
    await waitFor('the new engine to hold the mailbox', async () => {
      const held = h.running!.snapshot().mailboxes.find((slot) => slot.mailboxId === mailbox.id);
      return held?.health.state === 'auth_required' ? held : undefined;
    });
    expect((await h.repositories.mailboxes.get(mailbox.id))!.lease.owner).not.toBeNull();
    await pause(3000);
    const attempts = await attemptsOf();
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.success).toBe(false);
    const stillParked = (await h.repositories.mailboxes.get(mailbox.id))!;
    expect(stillParked.health.state).toBe('auth_required');
    expect(stillParked.health.lastErrorCode).toBe('mail.auth_failed');
    expect(stillParked.health.lastErrorMessage).toMatch(/password/i);
    expect(stillParked.health.nextAttemptAt).toBeNull();

    // The right password bumps settings_version: the park is stale, the mailbox resumes.
    await h.repositories.mailboxes.setSecrets(mailbox.id, { password });
    await waitFor(
      'listening',
      async () => (await h.repositories.mailboxes.get(mailbox.id))!.health.state === 'listening',
      5000,
    );
    expect(await h.dovecot.countLogins(user)).toBe(1);
    expect((await h.repositories.mailboxes.get(mailbox.id))!.authParkedVersion).toBeNull();
    await h.dovecot.append(user, 'INBOX', generateMail('restart-fixed', { kind: 'plain' }).raw);
    await waitFor(
      'the ticket',
      async () => (await ledgerCounts(h.database, mailbox.id)).tickets === 1,
    );
    expect(logs.lines.join('')).not.toContain(password);
  });
});
