/**
 * ingestDecisions: a run of mails written in one transaction gives the same
 * rows as ingestDecision mail by mail (tickets, messages, attachments, ledger,
 * counters summed, one checkpoint), and stays exactly-once: positions already
 * in the ledger are returned untouched and nothing is written twice.
 */
import { describe, expect, it } from 'vitest';
import {
  createBlobsRepository,
  createCheckpointsRepository,
  createMailboxesRepository,
  createTicketsRepository,
  findLedgerByMessageIds,
  ingestDecisions,
  lastTicketNumber,
  type Db,
  type IngestBatchItem,
} from '../src/index';
import { engines, useMigratedDatabase } from './engines';
import {
  mailboxSettings,
  makeTenant,
  messageDraft,
  normalClassification,
  parsedAttachment,
  ticketDraft,
} from './fixtures';

const setup = async (db: Db) => {
  const tenant = await makeTenant(db);
  const mailboxes = createMailboxesRepository({ db });
  const mailbox = await mailboxes.create({ tenantId: tenant.id, settings: mailboxSettings() });
  const at = {
    db,
    mailbox: { id: mailbox.id, tenantId: tenant.id },
    folder: 'INBOX',
    uidValidity: 42n,
  };
  return { tenant, mailbox, mailboxes, at };
};

describe.each(engines)('ingestDecisions on $kind', (engine) => {
  const database = useMigratedDatabase(engine);

  it('writes creates, an append, a skip and a quarantine in one go, and a repeat writes nothing', async () => {
    const { db } = database();
    const { tenant, mailbox, mailboxes, at } = await setup(db);
    const tickets = createTicketsRepository({ db });
    const existing = await tickets.create({
      tenantId: tenant.id,
      source: 'email',
      subject: 'Earlier',
    });
    const create = (uid: number, messageId: string): IngestBatchItem => ({
      uid,
      decision: {
        kind: 'create',
        code: 'created',
        reason: 'new ticket',
        classification: normalClassification,
        ticket: ticketDraft(
          { tenantId: tenant.id, mailboxId: mailbox.id },
          {
            message: messageDraft({ messageId, attachments: [parsedAttachment(`file ${uid}`)] }),
          },
        ),
      },
      postAction: { action: 'mark_seen' },
    });
    const items: IngestBatchItem[] = [
      create(1, 'one@customer.example'),
      create(2, 'two@customer.example'),
      {
        uid: 3,
        decision: {
          kind: 'append',
          code: 'appended',
          reason: 'appended',
          classification: normalClassification,
          ticketId: existing.ticket.id,
          ticketNumber: existing.ticket.number,
          message: messageDraft({ messageId: 'three@customer.example' }),
          attachOriginalEml: false,
        },
      },
      {
        uid: 4,
        decision: {
          kind: 'skip',
          code: 'skipped.auto_reply',
          reason: 'auto-reply',
          classification: normalClassification,
        },
        envelope: { messageId: 'four@customer.example' },
      },
      {
        uid: 5,
        decision: {
          kind: 'quarantine',
          code: 'quarantined.poison',
          reason: 'broken',
          error: 'boom',
        },
        raw: new TextEncoder().encode('raw five'),
      },
    ];
    const result = await ingestDecisions({
      ...at,
      items,
      checkpoint: { initialSyncTotal: 9, initialSyncDone: 5 },
    });
    expect(result.entries.map((e) => [e.entry.uid, e.entry.outcome, e.duplicate])).toEqual([
      [1, 'created', false],
      [2, 'created', false],
      [3, 'appended', false],
      [4, 'skipped', false],
      [5, 'quarantined', false],
    ]);
    expect(result.entries[0]!.entry.postActionState).toBe('pending');
    const numbers = await Promise.all(
      result.entries.slice(0, 2).map(async (e) => (await tickets.get(e.entry.ticketId!))!.number),
    );
    expect(numbers).toEqual([existing.ticket.number + 1, existing.ticket.number + 2]);
    expect(await lastTicketNumber(db, tenant.id)).toBe(existing.ticket.number + 2);
    const [message] = await tickets.listMessages(result.entries[0]!.entry.ticketId!);
    expect(message!.attachments).toHaveLength(1);
    expect(await tickets.listMessages(existing.ticket.id)).toHaveLength(1);
    const blob = await createBlobsRepository({ db }).get(result.entries[4]!.entry.rawBlobSha256!);
    expect(new TextDecoder().decode(blob!.bytes)).toBe('raw five');
    expect((await mailboxes.get(mailbox.id))!.health.counters).toEqual({
      seen: 5,
      created: 2,
      appended: 1,
      skipped: 1,
      quarantined: 1,
    });
    expect(await createCheckpointsRepository({ db }).get(mailbox.id, 'INBOX')).toMatchObject({
      lastUid: 5,
      initialSyncTotal: 9,
      initialSyncDone: 5,
    });
    const found = await findLedgerByMessageIds(db, tenant.id, [
      'one@customer.example',
      'four@customer.example',
    ]);
    expect(found.map((row) => row.uid).sort()).toEqual([1, 4]);

    const again = await ingestDecisions({
      ...at,
      items: [...items, create(6, 'six@customer.example')],
    });
    expect(again.entries.map((e) => e.duplicate)).toEqual([true, true, true, true, true, false]);
    expect(again.entries[0]!.entry.id).toBe(result.entries[0]!.entry.id);
    expect((await mailboxes.get(mailbox.id))!.health.counters).toMatchObject({
      seen: 6,
      created: 3,
    });
    expect(await lastTicketNumber(db, tenant.id)).toBe(existing.ticket.number + 3);
  });

  it('rolls the whole batch back when an append targets a ticket that does not exist', async () => {
    const { db } = database();
    const { tenant, mailbox, at } = await setup(db);
    await expect(
      ingestDecisions({
        ...at,
        items: [
          {
            uid: 1,
            decision: {
              kind: 'create',
              code: 'created',
              reason: 'new',
              classification: normalClassification,
              ticket: ticketDraft({ tenantId: tenant.id, mailboxId: mailbox.id }),
            },
          },
          {
            uid: 2,
            decision: {
              kind: 'append',
              code: 'appended',
              reason: 'appended',
              classification: normalClassification,
              ticketId: '00000000-0000-4000-8000-000000000000',
              ticketNumber: 1,
              message: messageDraft(),
              attachOriginalEml: false,
            },
          },
        ],
      }),
    ).rejects.toMatchObject({ code: 'ticket.not_found' });
    expect(await lastTicketNumber(db, tenant.id)).toBe(0);
    expect(await createCheckpointsRepository({ db }).get(mailbox.id, 'INBOX')).toBeNull();
  });
});
