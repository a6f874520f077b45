/**
 * A folder recreated on the server (new UIDVALIDITY) is re-scanned from the
 * start: mails that were already tickets are recorded as `skipped.duplicate`
 * (tenant ledger + Message-ID), only new mail becomes tickets. Runs on PGlite
 * and PostgreSQL.
 */
import { generateMails } from '@mailroom/testkit';
import { describe, expect, it } from 'vitest';
import { engines, queryRows } from './support/engines';
import { useEngineHarness } from './support/engine-harness';
import { createTestMailbox, ledgerCounts, startEngine, waitFor } from './support/fixtures';

describe.each(engines)('UIDVALIDITY change on $kind', (engine) => {
  const h = useEngineHarness(engine);

  it('re-scans a recreated folder without creating a duplicate ticket', async () => {
    const { mailbox, user } = await createTestMailbox(h.repositories, h.dovecot, {
      settings: { reading: { folders: { read: ['Support'], postAction: 'mark_seen' } } },
    });
    const mails = generateMails('uidvalidity', 5, { fromDomains: ['customer.example'] }).filter(
      (mail) => mail.kind !== 'auto-reply' && mail.kind !== 'bounce',
    );
    const old = mails.slice(0, 3);
    await h.dovecot.createFolder(user, 'Support');
    await h.dovecot.bulkLoad(
      user,
      'Support',
      old.map((mail) => mail.raw),
    );
    h.running = await startEngine(h.database, h.repositories);
    await waitFor(
      'the first scan',
      async () => (await ledgerCounts(h.database, mailbox.id)).rows === 3,
    );
    const first = await ledgerCounts(h.database, mailbox.id);
    await h.running.stop();
    h.running = null;

    const before = (await h.dovecot.status(user, 'Support')).uidValidity;
    await h.dovecot.deleteFolder(user, 'Support');
    await h.dovecot.createFolder(user, 'Support');
    await h.dovecot.bulkLoad(
      user,
      'Support',
      mails.map((mail) => mail.raw),
    );
    if ((await h.dovecot.status(user, 'Support')).uidValidity === before)
      await h.dovecot.setUidValidity(user, 'Support', before + 1);

    h.running = await startEngine(h.database, h.repositories);
    await waitFor(
      'the re-scan',
      async () => (await ledgerCounts(h.database, mailbox.id)).rows === 3 + mails.length,
    );
    const counts = await ledgerCounts(h.database, mailbox.id);
    const fresh = mails.length - old.length;
    expect(counts.tickets - first.tickets).toBeLessThanOrEqual(fresh);
    expect(counts.created + counts.appended).toBe(first.created + first.appended + fresh);

    const dupes = await queryRows<{ n: string | number }>(
      h.database,
      `select count(*) as n from ingest_ledger
        where mailbox_id = '${mailbox.id}' and reason_code = 'skipped.duplicate'`,
    );
    expect(Number(dupes[0]!.n)).toBe(old.length);
    // No Message-ID is a message twice in this mailbox's tickets.
    const [messages] = await queryRows<{ all: string | number; distinct: string | number }>(
      h.database,
      `select count(*) as all, count(distinct m.message_id) as distinct
         from ticket_messages m join tickets t on t.id = m.ticket_id
        where t.mailbox_id = '${mailbox.id}'`,
    );
    expect(Number(messages!.all)).toBe(Number(messages!.distinct));
    const checkpoint = await h.repositories.checkpoints.get(mailbox.id, 'Support');
    expect(checkpoint!.uidValidity).not.toBe(BigInt(before));
    expect(checkpoint!.lastUid).toBe(mails.length);
  });
});
