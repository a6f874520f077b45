/**
 * New mail reaches the engine by IMAP IDLE: an APPEND to an idle mailbox is a
 * ticket within 2 s (Dovecot pushes EXISTS ~0.5 s after an APPEND), and the
 * post-action marks it \Seen. Runs on PGlite and PostgreSQL.
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

describe.each(engines)('push on $kind', (engine) => {
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

  it('turns a mail APPENDed to an idle mailbox into a ticket in under 2 s, marks it seen, and stops and releases the mailbox when it is paused', async () => {
    const { mailbox, user, password } = await createTestMailbox(repositories, dovecot);
    running = await startEngine(database, repositories, { logger: logs.logger });
    await waitFor('the mailbox to listen', async () => {
      const current = await repositories.mailboxes.get(mailbox.id);
      return current?.health.state === 'listening';
    });
    // Let the engine settle into IDLE.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const mail = generateMail('push-1', { kind: 'plain', fromDomains: ['customer.example'] });
    const sentAt = Date.now();
    await dovecot.append(user, 'INBOX', mail.raw);
    await waitFor(
      'the ticket',
      async () => (await ledgerCounts(database, mailbox.id)).tickets === 1,
      5000,
      10,
    );
    const elapsed = Date.now() - sentAt;
    expect(elapsed).toBeLessThan(2000);

    const counts = await ledgerCounts(database, mailbox.id);
    expect(counts).toMatchObject({ rows: 1, created: 1, tickets: 1 });
    await waitFor('the \\Seen flag', async () => {
      const [stored] = await dovecot.messages(user, 'INBOX');
      return stored?.flags.includes('\\Seen');
    });
    const health = (await repositories.mailboxes.get(mailbox.id))!.health;
    expect(health.counters).toMatchObject({ seen: 1, created: 1 });
    expect(health.lastSyncAt).not.toBeNull();
    expect(logs.lines.join('\n')).not.toContain(password);

    // Pausing it stops the runner and releases the lease within a few heartbeats.
    await repositories.mailboxes.setStatus(mailbox.id, 'paused');
    const paused = await waitFor('the stopped state', async () => {
      const current = await repositories.mailboxes.get(mailbox.id);
      return current?.health.state === 'stopped' ? current : undefined;
    });
    expect(paused.lease.owner).toBeNull();
    expect(running.snapshot().mailboxes).toEqual([]);
  });
});
