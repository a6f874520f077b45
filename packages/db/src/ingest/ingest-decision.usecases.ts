/**
 * Writes everything one email produces in ONE transaction: the ledger row,
 * the ticket or appended message with attachments and blobs, the folder
 * checkpoint and the mailbox counters. The ledger's unique key (mailbox,
 * folder, uidvalidity, uid) makes it exactly-once: a repeated call finds the
 * existing row, writes no ticket, message or counter again, and returns that
 * row. Whatever this decides was decided before, by the pure mapping step.
 */
import {
  MailroomError,
  type Decision,
  type LedgerOutcome,
  type MailboxCounters,
  type MessageDraft,
  type PostAction,
} from '@mailroom/domain';
import { and, eq } from 'drizzle-orm';
import { putBlob } from '../blobs/blobs.repository';
import {
  advanceCheckpoint,
  type BigIntLike,
  type CheckpointInput,
  type FolderCheckpoint,
} from '../checkpoints/checkpoints.repository';
import type { Db } from '../database/database.types';
import { findLedgerEntry, type LedgerEntry } from '../ledger/ledger.repository';
import { ingestLedger, type PostActionState } from '../ledger/ledger.tables';
import { counterIncrements } from '../mailboxes/mailboxes.repository';
import { mailboxes } from '../mailboxes/mailboxes.tables';
import type { AttachmentInput, NewMessageInput } from '../tickets/tickets.models';
import { insertMessage, insertTicket, ticketNotFound } from '../tickets/tickets.repository';
import { tickets } from '../tickets/tickets.tables';

/** A mail over the mailbox's size limit: recorded, never fetched whole, so no Decision exists. */
export interface TooLargeDecision {
  kind: 'too_large';
  code: string;
  reason: string;
}

export type IngestDecision = Decision | TooLargeDecision;

export interface IngestDecisionInput {
  /** A database or an open transaction; this function opens its own (nested: a savepoint). */
  db: Db;
  mailbox: { id: string; tenantId: string };
  folder: string;
  uidValidity: BigIntLike;
  uid: number;
  decision: IngestDecision;
  /** The raw message: kept as a blob for quarantined mail, and attached as .eml when asked to. */
  raw?: Uint8Array | null;
  /** Written with the ledger row (monotonically); `lastUid` defaults to `uid`. */
  checkpoint?: Omit<CheckpointInput, 'uidValidity' | 'lastUid'> & { lastUid?: number };
  /** What the admin sees in the ledger for mail that has no message draft (skip, quarantine). */
  envelope?: {
    messageId?: string | null;
    from?: string | null;
    subject?: string | null;
    size?: number | null;
  };
  /** To do on the server after commit; default `leave` (nothing to do). */
  postAction?: { action: PostAction; target?: string | null };
  /** How many times this mail was tried before it got this outcome; default 1. */
  attempts?: number;
}

export interface IngestDecisionResult {
  entry: LedgerEntry;
  /** True when this position was already in the ledger and nothing new was written. */
  duplicate: boolean;
  ticket: { id: string; number: number } | null;
  checkpoint: FolderCheckpoint;
}

export const outcomeOf: Record<IngestDecision['kind'], LedgerOutcome> = {
  skip: 'skipped',
  create: 'created',
  append: 'appended',
  quarantine: 'quarantined',
  too_large: 'too_large',
};

/** too_large counts as quarantined: the mail was not turned into a ticket and needs a look. */
export const counterOf: Record<LedgerOutcome, keyof MailboxCounters> = {
  created: 'created',
  appended: 'appended',
  skipped: 'skipped',
  quarantined: 'quarantined',
  too_large: 'quarantined',
};

const originalEml = (raw: Uint8Array): AttachmentInput => ({
  filename: 'original.eml',
  contentType: 'message/rfc822',
  content: raw,
  inline: false,
});

export const inboundMessage = (
  draft: MessageDraft,
  raw: Uint8Array | null,
  attachOriginal: boolean,
): NewMessageInput => ({
  direction: 'inbound',
  messageId: draft.messageId,
  inReplyTo: draft.inReplyTo,
  references: draft.references,
  from: draft.from,
  to: draft.to,
  cc: draft.cc,
  subject: draft.subject,
  text: draft.text,
  html: draft.html,
  sentAt: draft.sentAt,
  attachments: [
    ...draft.attachments.map((file) => ({
      filename: file.filename,
      contentType: file.contentType,
      content: file.content,
      contentId: file.contentId,
      inline: file.inline,
    })),
    ...(attachOriginal && raw !== null ? [originalEml(raw)] : []),
  ],
});

export const messageDraftOf = (decision: IngestDecision): MessageDraft | null =>
  decision.kind === 'create'
    ? decision.ticket.message
    : decision.kind === 'append'
      ? decision.message
      : null;

export const ingestDecision = async (input: IngestDecisionInput): Promise<IngestDecisionResult> => {
  const { decision, mailbox } = input;
  const raw = input.raw ?? null;
  const uidValidity = BigInt(input.uidValidity);
  const postAction = input.postAction ?? { action: 'leave' as const };
  if (postAction.action === 'move' && (postAction.target ?? '') === '') {
    throw new MailroomError(
      'ingest.move_without_target',
      'A move post-action needs a target folder.',
    );
  }
  if (decision.kind === 'create' && decision.ticket.tenantId !== mailbox.tenantId) {
    throw new MailroomError(
      'ingest.tenant_mismatch',
      'The ticket draft belongs to another tenant than the mailbox.',
    );
  }
  const draft = messageDraftOf(decision);
  const outcome = outcomeOf[decision.kind];
  const postActionState: PostActionState = postAction.action === 'leave' ? 'not_needed' : 'pending';

  return input.db.transaction(async (tx) => {
    const writeCheckpoint = () =>
      advanceCheckpoint(tx, {
        mailboxId: mailbox.id,
        folderPath: input.folder,
        uidValidity,
        ...input.checkpoint,
        lastUid: input.checkpoint?.lastUid ?? input.uid,
      });

    const rawBlob = decision.kind === 'quarantine' && raw !== null ? await putBlob(tx, raw) : null;
    const [inserted] = await tx
      .insert(ingestLedger)
      .values({
        tenantId: mailbox.tenantId,
        mailboxId: mailbox.id,
        folder: input.folder,
        uidValidity,
        uid: input.uid,
        messageId: input.envelope?.messageId ?? draft?.messageId ?? null,
        outcome,
        reasonCode: decision.code,
        reasonDetail: decision.reason,
        error: decision.kind === 'quarantine' ? decision.error : null,
        rawBlobSha256: rawBlob?.sha256 ?? null,
        fromAddress: input.envelope?.from ?? draft?.from?.address ?? null,
        subject: input.envelope?.subject ?? draft?.subject ?? null,
        size: input.envelope?.size ?? raw?.byteLength ?? null,
        attempts: input.attempts ?? 1,
        postAction: postAction.action,
        postActionState,
        postActionTarget: postAction.target ?? null,
      })
      .onConflictDoNothing({
        target: [
          ingestLedger.mailboxId,
          ingestLedger.folder,
          ingestLedger.uidValidity,
          ingestLedger.uid,
        ],
      })
      .returning();

    if (inserted === undefined) {
      // Seen before: the first call's writes stand. Only the checkpoint may move on.
      const existing = await findLedgerEntry(tx, {
        mailboxId: mailbox.id,
        folder: input.folder,
        uidValidity,
        uid: input.uid,
      });
      if (existing === null) throw new Error('ledger row vanished between insert and select');
      const ticket =
        existing.ticketId === null
          ? null
          : ((
              await tx
                .select({ id: tickets.id, number: tickets.number })
                .from(tickets)
                .where(eq(tickets.id, existing.ticketId))
            )[0] ?? null);
      return { entry: existing, duplicate: true, ticket, checkpoint: await writeCheckpoint() };
    }

    let ticket: { id: string; number: number } | null = null;
    if (decision.kind === 'create') {
      const created = await insertTicket(tx, {
        tenantId: mailbox.tenantId,
        source: 'email',
        subject: decision.ticket.subject,
        importance: decision.ticket.importance,
        ticketTypeId: decision.ticket.ticketTypeId,
        offerId: decision.ticket.offerId,
        templateId: decision.ticket.templateId,
        fields: decision.ticket.fields,
        restrictedFields: decision.ticket.restrictedFields,
        requester: decision.ticket.requester,
        mailboxId: mailbox.id,
        message: inboundMessage(decision.ticket.message, raw, decision.ticket.attachOriginalEml),
      });
      ticket = { id: created.ticket.id, number: created.ticket.number };
    } else if (decision.kind === 'append') {
      const [target] = await tx
        .select({ id: tickets.id, number: tickets.number })
        .from(tickets)
        .where(and(eq(tickets.id, decision.ticketId), eq(tickets.tenantId, mailbox.tenantId)));
      if (target === undefined) throw ticketNotFound();
      await insertMessage(
        tx,
        target.id,
        inboundMessage(decision.message, raw, decision.attachOriginalEml),
      );
      ticket = target;
    }

    const [entry] =
      ticket === null
        ? [inserted]
        : await tx
            .update(ingestLedger)
            .set({ ticketId: ticket.id })
            .where(eq(ingestLedger.id, inserted.id))
            .returning();
    await tx
      .update(mailboxes)
      .set(counterIncrements({ seen: 1, [counterOf[outcome]]: 1 }))
      .where(eq(mailboxes.id, mailbox.id));
    return { entry: entry!, duplicate: false, ticket, checkpoint: await writeCheckpoint() };
  });
};
