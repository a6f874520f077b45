/**
 * Settings saved through the repository (what the API does) reach a running engine within
 * seconds, without a restart: a folder added to `folders.read` is read, a new post-action is
 * applied to the next mail, and exactly one session replaces the old one. Pausing the mailbox
 * ends its IMAP session (Dovecot logs it out) and no new one is opened.
 * Runs on PGlite and PostgreSQL.
 */
import type { Database, Repositories } from '@mailroom/db';
import { generateMail, startDovecot, type Dovecot } from '@mailroom/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestEngine } from '../src/index';
import { engines } from './support/engines';
import {
  createTestMailbox,
  ledgerCounts,
  repositoriesFor,
  startEngine,
  waitFor,
} from './support/fixtures';
import { pause, sessionEnds } from './support/oauth-mailbox';

describe.each(engines)('live settings on $kind', (engine) => {
  let dovecot: Dovecot;
  let database: Database;
  let repositories: Repositories;
  let running: IngestEngine | null = null;

  beforeAll(async () => {
    [dovecot, database] = await Promise.all([startDovecot(), engine.openMigrated()]);
    repositories = repositoriesFor(database);
  });
  afterAll(async () => {
    await running?.stop();
    await database?.close();
    await dovecot?.stop();
  });

  it('reads an added folder and moves mail by the new post-action within seconds, and pausing closes the session', async () => {
    const { mailbox, user } = await createTestMailbox(repositories, dovecot);
    await dovecot.createFolder(user, 'Orders');
    await dovecot.createFolder(user, 'Done');
    await dovecot.append(user, 'Orders', generateMail('settings-order', { kind: 'plain' }).raw);
    running = await startEngine(database, repositories);
    await waitFor('listening', async () => {
      return (await repositories.mailboxes.get(mailbox.id))?.health.state === 'listening';
    });
    await pause(500);
    expect((await ledgerCounts(database, mailbox.id)).rows).toBe(0);

    const changedAt = Date.now();
    await repositories.mailboxes.updateSettings(mailbox.id, {
      reading: {
        ...mailbox.settings.reading,
        folders: { read: ['INBOX', 'Orders'], postAction: 'move', successFolder: 'Done' },
      },
    });
    await waitFor(
      'the Orders mail as a ticket',
      async () => (await ledgerCounts(database, mailbox.id)).tickets === 1,
      5000,
    );
    expect(Date.now() - changedAt).toBeLessThan(5000);
    await waitFor('the Orders mail moved', async () => {
      const [orders, done] = await Promise.all([
        dovecot.messages(user, 'Orders'),
        dovecot.messages(user, 'Done'),
      ]);
      return orders.length === 0 && done.length === 1;
    });

    // The primary folder gets the new post-action too: moved, not only marked \Seen.
    await dovecot.append(user, 'INBOX', generateMail('settings-inbox', { kind: 'plain' }).raw);
    await waitFor('the INBOX mail moved to Done', async () => {
      const [inbox, done] = await Promise.all([
        dovecot.messages(user, 'INBOX'),
        dovecot.messages(user, 'Done'),
      ]);
      return inbox.length === 0 && done.length === 2;
    });
    expect((await ledgerCounts(database, mailbox.id)).tickets).toBe(2);
    // One session per settings version: the restart replaced the session, it did not add one.
    expect(await dovecot.countLogins(user)).toBe(2);
    expect(running.snapshot().mailboxes).toHaveLength(1);

    const endsBefore = await sessionEnds(dovecot, user);
    await repositories.mailboxes.setStatus(mailbox.id, 'paused');
    await waitFor('the session logged out', async () => {
      return (await sessionEnds(dovecot, user)) === endsBefore + 1;
    });
    await waitFor('stopped', async () => {
      return (await repositories.mailboxes.get(mailbox.id))?.health.state === 'stopped';
    });
    await pause(1000);
    expect(await dovecot.countLogins(user)).toBe(2);
    expect(running.snapshot().mailboxes).toEqual([]);
  });
});
