/**
 * A folder recreated on the server (new UIDVALIDITY) is re-scanned from the
 * start: mails that were already tickets are recorded as `skipped.duplicate`
 * (tenant ledger + Message-ID), only new mail becomes tickets. Runs on PGlite
 * and PostgreSQL.
 */
import type { Database, Repositories } from '@mailroom/db';
import { generateMails, startDovecot, type Dovecot } from '@mailroom/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestEngine } from '../src/index';
import { engines, queryRows } from './support/engines';
import {
  createTestMailbox,
  ledgerCounts,
  repositoriesFor,
  startEngine,
  waitFor,
} from './support/fixtures';

describe.each(engines)('UIDVALIDITY change on $kind', (engine) => {
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

  it('re-scans a recreated folder without creating a duplicate ticket', async () => {
    const { mailbox, user } = await createTestMailbox(repositories, dovecot, {
      settings: { reading: { folders: { read: ['Support'], postAction: 'mark_seen' } } },
    });
    const mails = generateMails('uidvalidity', 5, { fromDomains: ['customer.example'] }).filter(
      (mail) => mail.kind !== 'auto-reply' && mail.kind !== 'bounce',
    );
    const old = mails.slice(0, 3);
    await dovecot.createFolder(user, 'Support');
    await dovecot.bulkLoad(
      user,
      'Support',
      old.map((mail) => mail.raw),
    );
    running = await startEngine(database, repositories);
    await waitFor(
      'the first scan',
      async () => (await ledgerCounts(database, mailbox.id)).rows === 3,
    );
    const first = await ledgerCounts(database, mailbox.id);
    await running.stop();
    running = null;

    const before = (await dovecot.status(user, 'Support')).uidValidity;
    await dovecot.deleteFolder(user, 'Support');
    await dovecot.createFolder(user, 'Support');
    await dovecot.bulkLoad(
      user,
      'Support',
      mails.map((mail) => mail.raw),
    );
    if ((await dovecot.status(user, 'Support')).uidValidity === before)
      await dovecot.setUidValidity(user, 'Support', before + 1);

    running = await startEngine(database, repositories);
    await waitFor(
      'the re-scan',
      async () => (await ledgerCounts(database, mailbox.id)).rows === 3 + mails.length,
    );
    const counts = await ledgerCounts(database, mailbox.id);
    const fresh = mails.length - old.length;
    expect(counts.tickets - first.tickets).toBeLessThanOrEqual(fresh);
    expect(counts.created + counts.appended).toBe(first.created + first.appended + fresh);

    const dupes = await queryRows<{ n: string | number }>(
      database,
      `select count(*) as n from ingest_ledger
        where mailbox_id = '${mailbox.id}' and reason_code = 'skipped.duplicate'`,
    );
    expect(Number(dupes[0]!.n)).toBe(old.length);
    // No Message-ID is a message twice in this mailbox's tickets.
    const [messages] = await queryRows<{ all: string | number; distinct: string | number }>(
      database,
      `select count(*) as all, count(distinct m.message_id) as distinct
         from ticket_messages m join tickets t on t.id = m.ticket_id
        where t.mailbox_id = '${mailbox.id}'`,
    );
    expect(Number(messages!.all)).toBe(Number(messages!.distinct));
    const checkpoint = await repositories.checkpoints.get(mailbox.id, 'Support');
    expect(checkpoint!.uidValidity).not.toBe(BigInt(before));
    expect(checkpoint!.lastUid).toBe(mails.length);
  });
});
