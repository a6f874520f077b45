/**
 * A wrong password is a human's problem, not an outage: the server's AUTHENTICATIONFAILED
 * (`mail.auth_failed`, class `auth`) parks the mailbox in `auth_required` after ONE attempt —
 * no backoff rounds that could lock the account — and the admin's corrected password (a secret
 * write, which bumps settings_version) resumes it within seconds, without a restart.
 * Asserted on Dovecot's own log. Runs on PGlite and PostgreSQL.
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

describe.each(engines)('wrong password on $kind', (engine) => {
  const logs = captureLogs();
  const h = useEngineHarness(engine, { logs });

  it('stops after one refused login with auth_required and "update the password", and resumes within seconds once the admin stores the right one', async () => {
    // maxTries 5 with 5 % of the backoff: a retrying mailbox would log in again within ~100 ms.
    const { mailbox, user, password } = await createTestMailbox(h.repositories, h.dovecot, {
      settings: { policy: { maxTries: 5, coolOffMinutes: 0.05 } },
    });
    await h.repositories.mailboxes.setSecrets(mailbox.id, { password: 'typo-in-the-password' });
    h.running = await startEngine(h.database, h.repositories, { logger: logs.logger });

    const parked = await waitFor('auth_required', async () => {
      const health = (await h.repositories.mailboxes.get(mailbox.id))!.health;
      return health.state === 'auth_required' ? health : undefined;
    });
    expect(parked.lastErrorCode).toBe('mail.auth_failed');
    expect(parked.lastErrorMessage).toMatch(/password/i);
    expect(parked.lastErrorMessage).not.toContain('typo-in-the-password');
    expect(parked.nextAttemptAt).toBeNull();

    await pause(2500);
    const attempts = (await h.dovecot.logins()).filter((record) => record.user === user);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.success).toBe(false);
    expect((await h.repositories.mailboxes.get(mailbox.id))!.health.state).toBe('auth_required');

    const fixedAt = Date.now();
    await h.repositories.mailboxes.setSecrets(mailbox.id, { password });
    await waitFor(
      'listening',
      async () => (await h.repositories.mailboxes.get(mailbox.id))!.health.state === 'listening',
      5000,
    );
    expect(Date.now() - fixedAt).toBeLessThan(5000);
    // Exactly one new session: the restart must not leave a second runner behind.
    expect(await h.dovecot.countLogins(user)).toBe(1);
    expect(h.running.snapshot().mailboxes).toHaveLength(1);
    await h.dovecot.append(user, 'INBOX', generateMail('password-fixed', { kind: 'plain' }).raw);
    await waitFor(
      'the ticket',
      async () => (await ledgerCounts(h.database, mailbox.id)).tickets === 1,
    );
    expect(logs.lines.join('')).not.toContain(password);
  });
});
