/**
 * Batched processing gives the same outcomes as mail-by-mail processing: a
 * reply fetched in the same batch as the mail it answers is appended to the
 * ticket that mail created; a batch whose write fails is retried mail by mail,
 * so one bad mail is quarantined and the others of its batch still land; and
 * the optional tenant-wide Message-ID dedupe records the same mail reaching a
 * second mailbox as `skipped.duplicate`. Runs on PGlite and PostgreSQL.
 */
import { ingestDecision } from '@mailroom/db';
import { describe, expect, it } from 'vitest';
import type { IngestDecisionFn } from '../src/index';
import { engines, queryRows } from './support/engines';
import { useEngineHarness } from './support/engine-harness';
import { createTestMailbox, ledgerCounts, startEngine, waitFor } from './support/fixtures';

const mail = (
  id: string,
  subject: string,
  options: { inReplyTo?: string; from?: string; day?: number } = {},
): Buffer =>
  Buffer.from(
    `From: Alice <${options.from ?? 'alice@customer.example'}>\r\nTo: support@mailroom.test\r\n` +
      `Subject: ${subject}\r\nMessage-ID: <${id}>\r\n` +
      (options.inReplyTo === undefined
        ? ''
        : `In-Reply-To: <${options.inReplyTo}>\r\nReferences: <${options.inReplyTo}>\r\n`) +
      `Date: Mon, ${options.day ?? 3} Mar 2025 08:00:00 +0000\r\n` +
      `Content-Type: text/plain; charset=utf-8\r\n\r\nHello about ${subject}.\r\n`,
  );

describe.each(engines)('batched processing on $kind', (engine) => {
  const h = useEngineHarness(engine, { stopAfterEach: true });

  it('appends a reply to the ticket its original created when both arrive in the same batch', async () => {
    const { mailbox, user } = await createTestMailbox(h.repositories, h.dovecot);
    const id = `orig-${engine.kind}@customer.example`;
    await h.dovecot.bulkLoad(user, 'INBOX', [
      mail(id, 'Printer on fire'),
      mail(`other-${engine.kind}@customer.example`, 'Unrelated', { from: 'bob@customer.example' }),
      mail(`reply-${engine.kind}@customer.example`, 'Re: Printer on fire', {
        inReplyTo: id,
        day: 4,
      }),
      // The same Message-ID again in the same batch: a duplicate, not a third ticket.
      mail(id, 'Printer on fire'),
    ]);
    h.running = await startEngine(h.database, h.repositories);
    await waitFor(
      'four ledger rows',
      async () => (await ledgerCounts(h.database, mailbox.id)).rows === 4,
    );
    expect(await ledgerCounts(h.database, mailbox.id)).toMatchObject({
      created: 2,
      appended: 1,
      skipped: 1,
      tickets: 2,
    });
    const [thread] = await queryRows<{ messages: string | number }>(
      h.database,
      `select count(*) as messages from ticket_messages m join tickets t on t.id = m.ticket_id
        where t.mailbox_id = '${mailbox.id}' and t.subject = 'Printer on fire'`,
    );
    expect(Number(thread!.messages)).toBe(2);
    const rows = await queryRows<{ uid: string | number; reason_code: string }>(
      h.database,
      `select uid, reason_code from ingest_ledger where mailbox_id = '${mailbox.id}' order by uid`,
    );
    expect(rows.map((row) => row.reason_code)[3]).toBe('skipped.duplicate');
    const [counters] = await queryRows<Record<string, string | number>>(
      h.database,
      `select count_seen, count_created, count_appended, count_skipped from mailboxes where id = '${mailbox.id}'`,
    );
    expect(Object.values(counters!).map(Number)).toEqual([4, 2, 1, 1]);
  });

  it('retries a batch whose write failed mail by mail: the bad mail is quarantined, the rest of the batch lands', async () => {
    const { mailbox, user } = await createTestMailbox(h.repositories, h.dovecot);
    const bad = `bad-${engine.kind}@customer.example`;
    let batchCalls = 0;
    const refusing: IngestDecisionFn = async (input) => {
      batchCalls += 1;
      const decision = input.decision;
      if (decision.kind === 'create' && decision.ticket.message.messageId === bad)
        throw new Error('the storage layer refused this one (simulated)');
      return ingestDecision(input);
    };
    await h.dovecot.bulkLoad(
      user,
      'INBOX',
      Array.from({ length: 7 }, (_, index) =>
        index === 3
          ? mail(bad, 'Broken')
          : mail(`ok-${index}-${engine.kind}@customer.example`, `Question ${index}`, {
              from: `c${index}@customer.example`,
            }),
      ),
    );
    h.running = await startEngine(h.database, h.repositories, {
      extra: { ingestDecision: refusing },
    });
    await waitFor(
      'seven ledger rows',
      async () => (await ledgerCounts(h.database, mailbox.id)).rows === 7,
    );
    expect(await ledgerCounts(h.database, mailbox.id)).toMatchObject({
      created: 6,
      quarantined: 1,
      tickets: 6,
    });
    const [row] = await queryRows<{ uid: string | number; attempts: number; error: string }>(
      h.database,
      `select uid, attempts, error from ingest_ledger where mailbox_id = '${mailbox.id}' and outcome = 'quarantined'`,
    );
    expect(Number(row!.uid)).toBe(4);
    expect(row!.attempts).toBe(3);
    expect(row!.error).toContain('refused this one');
    expect(batchCalls).toBeGreaterThan(7);
  });

  it('records the same mail reaching a second mailbox of the tenant as a duplicate only when tenant-wide dedupe is on', async () => {
    const first = await createTestMailbox(h.repositories, h.dovecot);
    const deduping = await createTestMailbox(h.repositories, h.dovecot, {
      tenantId: first.tenantId,
      settings: {
        reading: {
          folders: { read: ['INBOX'], postAction: 'mark_seen' },
          dedupeAcrossMailboxes: true,
        },
      },
    });
    const plain = await createTestMailbox(h.repositories, h.dovecot, { tenantId: first.tenantId });
    const shared = mail(`shared-${engine.kind}@customer.example`, 'Sent to two addresses');
    await h.dovecot.bulkLoad(first.user, 'INBOX', [shared]);
    h.running = await startEngine(h.database, h.repositories);
    await waitFor(
      'the first mailbox',
      async () => (await ledgerCounts(h.database, first.mailbox.id)).created === 1,
    );
    await h.dovecot.append(deduping.user, 'INBOX', shared);
    await h.dovecot.append(plain.user, 'INBOX', shared);
    await waitFor(
      'both other mailboxes',
      async () =>
        (await ledgerCounts(h.database, deduping.mailbox.id)).rows === 1 &&
        (await ledgerCounts(h.database, plain.mailbox.id)).rows === 1,
    );
    expect(await ledgerCounts(h.database, deduping.mailbox.id)).toMatchObject({
      skipped: 1,
      tickets: 0,
    });
    const [row] = await queryRows<{ reason_code: string; reason_detail: string }>(
      h.database,
      `select reason_code, reason_detail from ingest_ledger where mailbox_id = '${deduping.mailbox.id}'`,
    );
    expect(row!.reason_code).toBe('skipped.duplicate');
    expect(row!.reason_detail).toContain(first.mailbox.id);
    // Off by default: the third mailbox still makes its own ticket.
    expect(await ledgerCounts(h.database, plain.mailbox.id)).toMatchObject({
      created: 1,
      tickets: 1,
    });
  });
});
