/**
 * New mail reaches the engine by IMAP IDLE: an APPEND to an idle mailbox is a
 * ticket within 2 s (Dovecot pushes EXISTS ~0.5 s after an APPEND), and the
 * post-action marks it \Seen. Runs on PGlite and PostgreSQL.
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

describe.each(engines)('push on $kind', (engine) => {
  const logs = captureLogs();
  const h = useEngineHarness(engine, { logs });

  it('turns a mail APPENDed to an idle mailbox into a ticket in under 2 s, marks it seen, and stops and releases the mailbox when it is paused', async () => {
    const { mailbox, user, password } = await createTestMailbox(h.repositories, h.dovecot);
    h.running = await startEngine(h.database, h.repositories, { logger: logs.logger });
    await waitFor('the mailbox to listen', async () => {
      const current = await h.repositories.mailboxes.get(mailbox.id);
      return current?.health.state === 'listening';
    });
    // Let the engine settle into IDLE.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const mail = generateMail('push-1', { kind: 'plain', fromDomains: ['customer.example'] });
    const sentAt = Date.now();
    await h.dovecot.append(user, 'INBOX', mail.raw);
    await waitFor(
      'the ticket',
      async () => (await ledgerCounts(h.database, mailbox.id)).tickets === 1,
      5000,
      10,
    );
    const elapsed = Date.now() - sentAt;
    expect(elapsed).toBeLessThan(2000);

    const counts = await ledgerCounts(h.database, mailbox.id);
    expect(counts).toMatchObject({ rows: 1, created: 1, tickets: 1 });
    await waitFor('the \\Seen flag', async () => {
      const [stored] = await h.dovecot.messages(user, 'INBOX');
      return stored?.flags.includes('\\Seen');
    });
    const health = (await h.repositories.mailboxes.get(mailbox.id))!.health;
    expect(health.counters).toMatchObject({ seen: 1, created: 1 });
    expect(health.lastSyncAt).not.toBeNull();
    expect(logs.lines.join('\n')).not.toContain(password);

    // Pausing it stops the runner and releases the lease within a few heartbeats.
    await h.repositories.mailboxes.setStatus(mailbox.id, 'paused');
    const paused = await waitFor('the stopped state', async () => {
      const current = await h.repositories.mailboxes.get(mailbox.id);
      return current?.health.state === 'stopped' ? current : undefined;
    });
    expect(paused.lease.owner).toBeNull();
    expect(h.running.snapshot().mailboxes).toEqual([]);
  });
});
