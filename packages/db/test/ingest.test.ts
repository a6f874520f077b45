import { describe, expect, it } from 'vitest';
import {
  createBlobsRepository,
  createCheckpointsRepository,
  createLedgerRepository,
  createMailboxesRepository,
  createTicketsRepository,
  ingestDecision,
  type Db,
  type IngestDecisionInput,
} from '../src/index';
import { engines, useMigratedDatabase } from './engines';
import {
  hasCode,
  mailboxSettings,
  makeTenant,
  messageDraft,
  normalClassification,
  parsedAttachment,
  ticketDraft,
} from './fixtures';

const raw = (text: string) => new TextEncoder().encode(`Subject: test\r\n\r\n${text}\r\n`);

const setup = async (db: Db) => {
  const tenant = await makeTenant(db);
  const mailboxes = createMailboxesRepository({ db });
  const mailbox = await mailboxes.create({ tenantId: tenant.id, settings: mailboxSettings() });
  const at = {
    db,
    mailbox: { id: mailbox.id, tenantId: tenant.id },
    folder: 'INBOX',
    uidValidity: 1_700_000_001n,
  };
  return { tenant, mailbox, mailboxes, at };
};

describe.each(engines)('ingestDecision on $kind', (engine) => {
  const database = useMigratedDatabase(engine);

  it('creates a ticket, its message, attachments, ledger row, checkpoint and counters together', async () => {
    const { db } = database();
    const { tenant, mailbox, mailboxes, at } = await setup(db);
    const draft = ticketDraft(
      { tenantId: tenant.id, mailboxId: mailbox.id },
      {
        message: messageDraft({
          attachments: [
            parsedAttachment('hello'),
            parsedAttachment('<svg/>', {
              filename: 'i.svg',
              contentType: 'image/svg+xml',
              inline: true,
              contentId: 'i1',
            }),
          ],
        }),
        attachOriginalEml: true,
      },
    );
    const result = await ingestDecision({
      ...at,
      uid: 7,
      decision: {
        kind: 'create',
        code: 'created',
        reason: 'new ticket',
        classification: normalClassification,
        ticket: draft,
      },
      raw: raw('body'),
      postAction: { action: 'move', target: 'Processed' },
    });

    expect(result.duplicate).toBe(false);
    expect(result.ticket!.number).toBe(1);
    expect(result.entry).toMatchObject({
      outcome: 'created',
      reasonCode: 'created',
      reasonDetail: 'new ticket',
      ticketId: result.ticket!.id,
      messageId: draft.message.messageId,
      fromAddress: 'ada@customer.example',
      subject: 'Printer on fire',
      uidValidity: 1_700_000_001n,
      uid: 7,
      postAction: 'move',
      postActionState: 'pending',
      postActionTarget: 'Processed',
      attempts: 1,
    });
    expect(result.checkpoint).toMatchObject({
      folderPath: 'INBOX',
      uidValidity: 1_700_000_001n,
      lastUid: 7,
    });

    const tickets = createTicketsRepository({ db });
    const ticket = await tickets.get(result.ticket!.id);
    expect(ticket).toMatchObject({
      source: 'email',
      importance: 'high',
      mailboxId: mailbox.id,
      fields: { description: 'It is on fire again.' },
    });
    const [message] = await tickets.listMessages(result.ticket!.id);
    expect(message!.direction).toBe('inbound');
    expect(message!.attachments.map((file) => [file.filename, file.contentType])).toEqual([
      ['notes.txt', 'text/plain'],
      ['i.svg', 'image/svg+xml'],
      ['original.eml', 'message/rfc822'],
    ]);
    expect(message!.attachments[0]!.sha256).toBe(draft.message.attachments[0]!.sha256);
    const eml = await createBlobsRepository({ db }).get(message!.attachments[2]!.blobSha256);
    expect(new TextDecoder().decode(eml!.bytes)).toContain('body');

    expect((await mailboxes.get(mailbox.id))!.health.counters).toEqual({
      seen: 1,
      created: 1,
      appended: 0,
      skipped: 0,
      quarantined: 0,
    });
  });

  it('is exactly-once: the same folder position again writes nothing and returns the first row', async () => {
    const { db } = database();
    const { tenant, mailbox, mailboxes, at } = await setup(db);
    const input: IngestDecisionInput = {
      ...at,
      uid: 3,
      decision: {
        kind: 'create',
        code: 'created',
        reason: 'new ticket',
        classification: normalClassification,
        ticket: ticketDraft({ tenantId: tenant.id, mailboxId: mailbox.id }),
      },
    };
    const first = await ingestDecision(input);
    const second = await ingestDecision(input);
    expect(second.duplicate).toBe(true);
    expect(second.entry).toEqual(first.entry);
    expect(second.ticket).toEqual(first.ticket);
    expect((await createTicketsRepository({ db }).list({ tenantId: tenant.id })).total).toBe(1);
    expect((await mailboxes.get(mailbox.id))!.health.counters.seen).toBe(1);

    // A different UIDVALIDITY is a different position (the folder was rebuilt).
    const rescanned = await ingestDecision({ ...input, uidValidity: 1_700_000_002n });
    expect(rescanned.duplicate).toBe(false);
  });

  it('is exactly-once under concurrent calls for the same position', async () => {
    const { db } = database();
    const { tenant, mailbox, mailboxes, at } = await setup(db);
    const input: IngestDecisionInput = {
      ...at,
      uid: 11,
      decision: {
        kind: 'create',
        code: 'created',
        reason: 'new ticket',
        classification: normalClassification,
        ticket: ticketDraft({ tenantId: tenant.id, mailboxId: mailbox.id }),
      },
    };
    const results = await Promise.all([
      ingestDecision(input),
      ingestDecision(input),
      ingestDecision(input),
    ]);
    expect(results.filter((result) => !result.duplicate)).toHaveLength(1);
    expect(new Set(results.map((result) => result.entry.id)).size).toBe(1);
    expect((await createTicketsRepository({ db }).list({ tenantId: tenant.id })).total).toBe(1);
    expect((await mailboxes.get(mailbox.id))!.health.counters).toMatchObject({
      seen: 1,
      created: 1,
    });
  });

  it('appends a reply to the ticket it answers', async () => {
    const { db } = database();
    const { tenant, mailbox, mailboxes, at } = await setup(db);
    const created = await ingestDecision({
      ...at,
      uid: 1,
      decision: {
        kind: 'create',
        code: 'created',
        reason: 'new ticket',
        classification: normalClassification,
        ticket: ticketDraft({ tenantId: tenant.id, mailboxId: mailbox.id }),
      },
    });
    const reply = messageDraft({
      subject: 'Re: Printer on fire',
      inReplyTo: [created.entry.messageId!],
    });
    const appended = await ingestDecision({
      ...at,
      uid: 2,
      decision: {
        kind: 'append',
        code: 'appended.in_reply_to',
        reason: `appended to #${created.ticket!.number} (In-Reply-To)`,
        classification: normalClassification,
        ticketId: created.ticket!.id,
        ticketNumber: created.ticket!.number,
        message: reply,
        attachOriginalEml: false,
      },
      postAction: { action: 'mark_seen' },
    });
    expect(appended.entry).toMatchObject({
      outcome: 'appended',
      ticketId: created.ticket!.id,
      postAction: 'mark_seen',
      postActionTarget: null,
    });
    expect(appended.ticket).toEqual(created.ticket);
    const messages = await createTicketsRepository({ db }).listMessages(created.ticket!.id);
    expect(messages.map((message) => message.subject)).toEqual([
      'Printer on fire',
      'Re: Printer on fire',
    ]);
    expect(appended.checkpoint.lastUid).toBe(2);
    expect((await mailboxes.get(mailbox.id))!.health.counters).toMatchObject({
      seen: 2,
      created: 1,
      appended: 1,
    });
  });

  it('rolls everything back when an append names a ticket that does not exist', async () => {
    const { db } = database();
    const { mailbox, mailboxes, at } = await setup(db);
    await expect(
      ingestDecision({
        ...at,
        uid: 5,
        decision: {
          kind: 'append',
          code: 'appended.in_reply_to',
          reason: 'appended',
          classification: normalClassification,
          ticketId: '00000000-0000-4000-8000-000000000000',
          ticketNumber: 99,
          message: messageDraft(),
          attachOriginalEml: false,
        },
      }),
    ).rejects.toSatisfy(hasCode('ticket.not_found'));
    expect(
      await createLedgerRepository({ db }).find({
        mailboxId: mailbox.id,
        folder: 'INBOX',
        uidValidity: at.uidValidity,
        uid: 5,
      }),
    ).toBeNull();
    expect(await createCheckpointsRepository({ db }).get(mailbox.id, 'INBOX')).toBeNull();
    expect((await mailboxes.get(mailbox.id))!.health.counters.seen).toBe(0);
  });

  it('records skipped, quarantined and too-large mail with reasons an admin can read', async () => {
    const { db } = database();
    const { mailbox, mailboxes, at } = await setup(db);
    const skipped = await ingestDecision({
      ...at,
      uid: 1,
      decision: {
        kind: 'skip',
        code: 'skipped.auto_reply',
        reason: 'skipped: auto-reply (Auto-Submitted: auto-replied)',
        classification: {
          kind: 'auto_reply',
          rule: 'header:auto-submitted',
          evidence: 'Auto-Submitted: auto-replied',
        },
      },
      envelope: {
        messageId: 'ooo@customer.example',
        from: 'ada@customer.example',
        subject: 'Out of office',
        size: 900,
      },
      postAction: { action: 'move', target: 'Excluded' },
    });
    expect(skipped.entry).toMatchObject({
      outcome: 'skipped',
      reasonCode: 'skipped.auto_reply',
      ticketId: null,
      messageId: 'ooo@customer.example',
      subject: 'Out of office',
      size: 900,
      rawBlobSha256: null,
    });

    const broken = raw('=?broken?=');
    const quarantined = await ingestDecision({
      ...at,
      uid: 2,
      decision: {
        kind: 'quarantine',
        code: 'quarantined.parse_failed',
        reason: 'could not be parsed',
        error: 'Unexpected end of MIME',
      },
      raw: broken,
      attempts: 3,
    });
    expect(quarantined.entry).toMatchObject({
      outcome: 'quarantined',
      error: 'Unexpected end of MIME',
      attempts: 3,
      size: broken.byteLength,
    });
    const kept = await createBlobsRepository({ db }).get(quarantined.entry.rawBlobSha256!);
    expect(Buffer.from(kept!.bytes).equals(Buffer.from(broken))).toBe(true);

    const tooLarge = await ingestDecision({
      ...at,
      uid: 3,
      decision: { kind: 'too_large', code: 'too_large', reason: 'larger than 25 MB' },
      envelope: { size: 40_000_000 },
    });
    expect(tooLarge.entry).toMatchObject({
      outcome: 'too_large',
      size: 40_000_000,
      postActionState: 'not_needed',
    });

    expect((await mailboxes.get(mailbox.id))!.health.counters).toEqual({
      seen: 3,
      created: 0,
      appended: 0,
      skipped: 1,
      quarantined: 2,
    });
    const ledger = createLedgerRepository({ db });
    const page = await ledger.listForMailbox(mailbox.id, { limit: 2 });
    expect(page.total).toBe(3);
    expect(page.items).toHaveLength(2);
    expect(
      (await ledger.listForMailbox(mailbox.id, { outcome: ['quarantined', 'too_large'] })).items
        .map((e) => e.uid)
        .sort(),
    ).toEqual([2, 3]);
    expect(
      (await ledger.findByMessageId(mailbox.tenantId, 'ooo@customer.example')).map((e) => e.uid),
    ).toEqual([1]);
  });

  it('refuses a move without a target folder and a draft from another tenant', async () => {
    const { db } = database();
    const { mailbox, at } = await setup(db);
    const skip = {
      kind: 'skip' as const,
      code: 'skipped',
      reason: 'skipped',
      classification: normalClassification,
    };
    await expect(
      ingestDecision({ ...at, uid: 1, decision: skip, postAction: { action: 'move' } }),
    ).rejects.toSatisfy(hasCode('ingest.move_without_target'));
    const stranger = await makeTenant(db);
    await expect(
      ingestDecision({
        ...at,
        uid: 1,
        decision: {
          kind: 'create',
          code: 'created',
          reason: 'x',
          classification: normalClassification,
          ticket: ticketDraft({ tenantId: stranger.id, mailboxId: mailbox.id }),
        },
      }),
    ).rejects.toSatisfy(hasCode('ingest.tenant_mismatch'));
  });

  it('pages the ledger newest first by cursor without skipping or repeating while mail arrives', async () => {
    const { db } = database();
    const { mailbox, at } = await setup(db);
    const skip = {
      kind: 'skip' as const,
      code: 'skipped',
      reason: 'skipped',
      classification: normalClassification,
    };
    for (let uid = 1; uid <= 5; uid += 1) await ingestDecision({ ...at, uid, decision: skip });
    const ledger = createLedgerRepository({ db });
    const first = await ledger.listForMailbox(mailbox.id, { limit: 2 });
    expect(first.items.map((entry) => entry.uid)).toEqual([5, 4]);
    expect(first.total).toBe(5);
    await ingestDecision({ ...at, uid: 6, decision: skip });
    const second = await ledger.listForMailbox(mailbox.id, { limit: 2, cursor: first.nextCursor });
    expect(second.items.map((entry) => entry.uid)).toEqual([3, 2]);
    expect(second.total).toBe(6);
    const last = await ledger.listForMailbox(mailbox.id, { limit: 2, cursor: second.nextCursor });
    expect(last.items.map((entry) => entry.uid)).toEqual([1]);
    expect(last.nextCursor).toBeNull();
    expect(
      (await ledger.listForMailbox(mailbox.id, { limit: 2, offset: 1 })).items.map((e) => e.uid),
    ).toEqual([5, 4]);
  });

  it('tracks post-actions until they are done, retrying failed ones a bounded number of times', async () => {
    const { db } = database();
    const { mailbox, at } = await setup(db);
    const skip = {
      kind: 'skip' as const,
      code: 'skipped',
      reason: 'skipped',
      classification: normalClassification,
    };
    const a = await ingestDecision({
      ...at,
      uid: 1,
      decision: skip,
      postAction: { action: 'mark_seen' },
    });
    const b = await ingestDecision({
      ...at,
      uid: 2,
      decision: skip,
      postAction: { action: 'move', target: 'Done' },
    });
    await ingestDecision({ ...at, uid: 3, decision: skip });
    const ledger = createLedgerRepository({ db });
    expect((await ledger.listPendingPostActions(mailbox.id)).map((entry) => entry.uid)).toEqual([
      1, 2,
    ]);

    await ledger.markPostActionDone(a.entry.id);
    await ledger.markPostActionFailed(b.entry.id, 'NO [TRYCREATE] Mailbox does not exist');
    const pending = await ledger.listPendingPostActions(mailbox.id, { maxAttempts: 2 });
    expect(
      pending.map((entry) => [entry.uid, entry.postActionState, entry.postActionAttempts]),
    ).toEqual([[2, 'failed', 1]]);
    expect(pending[0]!.postActionError).toContain('TRYCREATE');
    await ledger.markPostActionFailed(b.entry.id, 'still failing');
    expect(await ledger.listPendingPostActions(mailbox.id, { maxAttempts: 2 })).toEqual([]);
    expect((await ledger.get(a.entry.id))!.postActionState).toBe('done');
  });
});

describe.each(engines)('folder checkpoints on $kind', (engine) => {
  const database = useMigratedDatabase(engine);

  it('only moves forward under the same UIDVALIDITY and starts over with a new one', async () => {
    const { db } = database();
    const { mailbox } = await setup(db);
    const checkpoints = createCheckpointsRepository({ db });
    expect(await checkpoints.get(mailbox.id, 'INBOX')).toBeNull();
    const at = { mailboxId: mailbox.id, folderPath: 'INBOX' };
    await checkpoints.advance({
      ...at,
      uidValidity: 5n,
      lastUid: 10,
      highestModseq: 100n,
      initialSyncTotal: 40,
      initialSyncDone: 10,
    });
    await checkpoints.advance({ ...at, uidValidity: 5n, lastUid: 7, highestModseq: 90n });
    expect(await checkpoints.get(mailbox.id, 'INBOX')).toMatchObject({
      uidValidity: 5n,
      lastUid: 10,
      highestModseq: 100n,
      initialSyncTotal: 40,
      initialSyncDone: 10,
    });
    await checkpoints.advance({ ...at, uidValidity: '6', lastUid: 2 });
    expect(await checkpoints.get(mailbox.id, 'INBOX')).toMatchObject({
      uidValidity: 6n,
      lastUid: 2,
      highestModseq: null,
    });

    const reset = await checkpoints.upsert({
      ...at,
      uidValidity: 6n,
      lastUid: 0,
      initialSyncTotal: 500,
    });
    expect(reset).toMatchObject({ lastUid: 0, initialSyncTotal: 500, initialSyncDone: 0 });
    await checkpoints.advance({
      mailboxId: mailbox.id,
      folderPath: 'Archive/2024',
      uidValidity: 4_294_967_295n,
      lastUid: 4_294_967_295,
    });
    expect(
      (await checkpoints.listByMailbox(mailbox.id)).map((c) => [c.folderPath, c.lastUid]),
    ).toEqual([
      ['Archive/2024', 4_294_967_295],
      ['INBOX', 0],
    ]);
    expect(await checkpoints.remove(mailbox.id, 'Archive/2024')).toBe(true);
    expect(await checkpoints.listByMailbox(mailbox.id)).toHaveLength(1);
  });
});
