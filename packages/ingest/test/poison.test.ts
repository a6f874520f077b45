/**
 * One broken mail never blocks a channel. A mail whose write fails every time
 * (here: the engine's `ingestDecision` dependency refuses one Message-ID, as a
 * storage error would) is quarantined after `poisonAttempts` tries with its
 * raw bytes kept and the error recorded, and the mails after it become
 * tickets. A mail the worker crashed on in earlier runs (its attempts are in
 * `ingest_attempts`) is quarantined without being processed again. A mail over
 * the size limit gets a too_large row without being downloaded.
 * Runs on PGlite and PostgreSQL.
 */
import { ingestDecision } from '@mailroom/db';
import { generateMail } from '@mailroom/testkit';
import { describe, expect, it } from 'vitest';
import type { IngestDecisionFn } from '../src/index';
import { engines, queryRows } from './support/engines';
import { useEngineHarness } from './support/engine-harness';
import { createTestMailbox, ledgerCounts, startEngine, waitFor } from './support/fixtures';

const POISON_ID = 'poison-1@customer.example';

const poison = Buffer.from(
  'From: Eve <eve@customer.example>\r\nTo: support@mailroom.test\r\nSubject: broken\r\n' +
    `Message-ID: <${POISON_ID}>\r\nDate: Mon, 3 Mar 2025 08:00:00 +0000\r\n` +
    'Content-Type: text/plain; charset=utf-8\r\n\r\nThis one cannot be stored.\r\n',
);

/** `ingestDecision`, except that it always fails for the poison mail's ticket. */
const refusingPoison: IngestDecisionFn = async (input) => {
  const decision = input.decision;
  if (decision.kind === 'create' && decision.ticket.message.messageId === POISON_ID) {
    throw new Error('value too long for the storage layer (simulated)');
  }
  return ingestDecision(input);
};

interface QuarantineRow {
  uid: string | number;
  reason_code: string;
  error: string;
  attempts: number;
  raw_blob_sha256: string | null;
}

describe.each(engines)('poison mail on $kind', (engine) => {
  const h = useEngineHarness(engine, { stopAfterEach: true });

  const quarantined = (mailboxId: string) =>
    queryRows<QuarantineRow>(
      h.database,
      `select uid, reason_code, error, attempts, raw_blob_sha256 from ingest_ledger
        where mailbox_id = '${mailboxId}' and outcome = 'quarantined'`,
    );

  it('quarantines a mail that fails three times, keeps its raw bytes and ingests the mails after it', async () => {
    const { mailbox, user } = await createTestMailbox(h.repositories, h.dovecot, {
      settings: {
        reading: {
          folders: { read: ['INBOX'], postAction: 'mark_seen' },
          maxMessageBytes: 60_000,
        },
      },
    });
    const before = generateMail('poison-before', { kind: 'plain' });
    const after = generateMail('poison-after', { kind: 'plain' });
    const huge = generateMail('poison-huge', { kind: 'attachment', attachmentSize: 120_000 });
    await h.dovecot.bulkLoad(user, 'INBOX', [before.raw, poison, after.raw, huge.raw]);
    h.running = await startEngine(h.database, h.repositories, {
      extra: { ingestDecision: refusingPoison },
    });

    await waitFor(
      'four ledger rows',
      async () => (await ledgerCounts(h.database, mailbox.id)).rows === 4,
    );
    const counts = await ledgerCounts(h.database, mailbox.id);
    expect(counts).toMatchObject({ created: 2, quarantined: 1, tooLarge: 1, tickets: 2 });

    const [row] = await quarantined(mailbox.id);
    expect(Number(row!.uid)).toBe(2);
    expect(row!.reason_code).toBe('quarantined.poison');
    expect(row!.attempts).toBe(3);
    expect(row!.error).toContain('value too long for the storage layer');
    const blob = await h.repositories.blobs.get(row!.raw_blob_sha256!);
    expect(Buffer.from(blob!.bytes).equals(poison)).toBe(true);

    const [large] = await queryRows<{ uid: string | number; size: string | number }>(
      h.database,
      `select uid, size from ingest_ledger where mailbox_id = '${mailbox.id}' and outcome = 'too_large'`,
    );
    expect(Number(large!.uid)).toBe(4);
    expect(Number(large!.size)).toBeGreaterThan(60_000);
    const [leftover] = await queryRows<{ n: string | number }>(
      h.database,
      `select count(*) as n from ingest_attempts where mailbox_id = '${mailbox.id}'`,
    );
    expect(Number(leftover!.n)).toBe(0);
  });

  it('quarantines, without processing it again, a mail the worker crashed on in earlier runs', async () => {
    const { mailbox, user } = await createTestMailbox(h.repositories, h.dovecot);
    const crasher = generateMail('crash-loop', { kind: 'plain' });
    const next = generateMail('crash-loop-next', { kind: 'plain' });
    await h.dovecot.bulkLoad(user, 'INBOX', [crasher.raw, next.raw]);
    const { uidValidity } = await h.dovecot.status(user, 'INBOX');
    // What three crashed starts leave behind: each counted an attempt before processing uid 1.
    await h.repositories.ingestAttempts.set(
      { mailboxId: mailbox.id, folder: 'INBOX', uidValidity: BigInt(uidValidity), uid: 1 },
      { attempts: 3, lastError: null },
    );
    h.running = await startEngine(h.database, h.repositories);

    await waitFor(
      'two ledger rows',
      async () => (await ledgerCounts(h.database, mailbox.id)).rows === 2,
    );
    expect(await ledgerCounts(h.database, mailbox.id)).toMatchObject({
      quarantined: 1,
      created: 1,
    });
    const [row] = await quarantined(mailbox.id);
    expect(Number(row!.uid)).toBe(1);
    expect(row!.error).toContain('the worker stopped');
  });
});
