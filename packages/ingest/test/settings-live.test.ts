/**
 * Settings saved through the repository (what the API does) reach a running engine within
 * seconds, without a restart: a folder added to `folders.read` is read, a new post-action is
 * applied to the next mail, and exactly one session replaces the old one. Pausing the mailbox
 * ends its IMAP session (Dovecot logs it out) and no new one is opened.
 * Runs on PGlite and PostgreSQL.
 */
import { generateMail } from '@mailroom/testkit';
import { describe, expect, it } from 'vitest';
import { engines } from './support/engines';
import { useEngineHarness } from './support/engine-harness';
import { createTestMailbox, ledgerCounts, startEngine, waitFor } from './support/fixtures';
import { pause, sessionEnds } from './support/oauth-mailbox';

describe.each(engines)('live settings on $kind', (engine) => {
  const h = useEngineHarness(engine);

  it('reads an added folder and moves mail by the new post-action within seconds, and pausing closes the session', async () => {
    const { mailbox, user } = await createTestMailbox(h.repositories, h.dovecot);
    await h.dovecot.createFolder(user, 'Orders');
    await h.dovecot.createFolder(user, 'Done');
    await h.dovecot.append(user, 'Orders', generateMail('settings-order', { kind: 'plain' }).raw);
    h.running = await startEngine(h.database, h.repositories);
    await waitFor('listening', async () => {
      return (await h.repositories.mailboxes.get(mailbox.id))?.health.state === 'listening';
    });
    await pause(500);
    expect((await ledgerCounts(h.database, mailbox.id)).rows).toBe(0);

    const changedAt = Date.now();
    await h.repositories.mailboxes.updateSettings(mailbox.id, {
      reading: {
        ...mailbox.settings.reading,
        folders: { read: ['INBOX', 'Orders'], postAction: 'move', successFolder: 'Done' },
      },
    });
    await waitFor(
      'the Orders mail as a ticket',
      async () => (await ledgerCounts(h.database, mailbox.id)).tickets === 1,
      5000,
    );
    expect(Date.now() - changedAt).toBeLessThan(5000);
    await waitFor('the Orders mail moved', async () => {
      const [orders, done] = await Promise.all([
        h.dovecot.messages(user, 'Orders'),
        h.dovecot.messages(user, 'Done'),
      ]);
      return orders.length === 0 && done.length === 1;
    });

    // The primary folder gets the new post-action too: moved, not only marked \Seen.
    await h.dovecot.append(user, 'INBOX', generateMail('settings-inbox', { kind: 'plain' }).raw);
    await waitFor('the INBOX mail moved to Done', async () => {
      const [inbox, done] = await Promise.all([
        h.dovecot.messages(user, 'INBOX'),
        h.dovecot.messages(user, 'Done'),
      ]);
      return inbox.length === 0 && done.length === 2;
    });
    expect((await ledgerCounts(h.database, mailbox.id)).tickets).toBe(2);
    // One session per settings version: the restart replaced the session, it did not add one.
    expect(await h.dovecot.countLogins(user)).toBe(2);
    expect(h.running.snapshot().mailboxes).toHaveLength(1);

    const endsBefore = await sessionEnds(h.dovecot, user);
    await h.repositories.mailboxes.setStatus(mailbox.id, 'paused');
    await waitFor('the session logged out', async () => {
      return (await sessionEnds(h.dovecot, user)) === endsBefore + 1;
    });
    await waitFor('stopped', async () => {
      return (await h.repositories.mailboxes.get(mailbox.id))?.health.state === 'stopped';
    });
    await pause(1000);
    expect(await h.dovecot.countLogins(user)).toBe(2);
    expect(h.running.snapshot().mailboxes).toEqual([]);
  });
});
