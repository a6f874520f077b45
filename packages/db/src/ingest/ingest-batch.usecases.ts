/**
 * Writes the outcomes of a run of consecutive mails of one folder in ONE
 * transaction with a handful of set-wise statements: ledger rows, tickets,
 * messages, attachments and blobs, one checkpoint advance and the counters
 * summed. It exists because a transaction per mail (≈10 round trips and a
 * commit each) capped a backfill at ~100 mails/s. Exactly-once is the same as
 * `ingestDecision`'s: positions already in the ledger are returned untouched,
 * and if another writer inserts one of the positions meanwhile the unique key
 * makes the whole batch roll back (error `ingest.batch_conflict`), so the
 * caller retries mail by mail. It decides nothing; decisions come from mapping.
 */
import { randomUUID } from 'node:crypto';
import { MailroomError, type MailboxCounters } from '@mailroom/domain';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { blobs } from '../blobs/blobs.tables';
import { advanceCheckpoint, type BigIntLike } from '../checkpoints/checkpoints.repository';
import type { Db } from '../database/database.types';
import type { LedgerEntry } from '../ledger/ledger.repository';
import { ingestLedger, type PostActionState } from '../ledger/ledger.tables';
import { counterIncrements } from '../mailboxes/mailboxes.repository';
import { mailboxes } from '../mailboxes/mailboxes.tables';
import { md5Hex, sha256Hex } from '../shared/hashing';
import type { NewMessageInput } from '../tickets/tickets.models';
import { ticketNotFound } from '../tickets/tickets.repository';
import { attachments, ticketCounters, ticketMessages, tickets } from '../tickets/tickets.tables';
import {
  counterOf,
  inboundMessage,
  messageDraftOf,
  outcomeOf,
  type IngestDecisionInput,
} from './ingest-decision.usecases';

export type IngestBatchItem = Pick<
  IngestDecisionInput,
  'uid' | 'decision' | 'raw' | 'envelope' | 'postAction' | 'attempts'
>;

export interface IngestBatchInput {
  /** A database or an open transaction; this function opens its own (nested: a savepoint). */
  db: Db;
  mailbox: { id: string; tenantId: string };
  folder: string;
  uidValidity: BigIntLike;
  /** In UID order. */
  items: readonly IngestBatchItem[];
  /** Written once (monotonically); `lastUid` defaults to the highest UID of the batch. */
  checkpoint?: { initialSyncTotal?: number | null; initialSyncDone?: number; lastUid?: number };
}

export interface IngestBatchResult {
  /** One per item, in the same order. */
  entries: Array<{ entry: LedgerEntry; duplicate: boolean }>;
}

const toDate = (value: Date | string | null | undefined): Date | null => {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** Rows per multi-row INSERT: far below PostgreSQL's 65,535 parameters per statement. */
const ROWS_PER_INSERT = 200;

const chunks = <T>(list: readonly T[], size = ROWS_PER_INSERT): T[][] => {
  const out: T[][] = [];
  for (let start = 0; start < list.length; start += size) out.push(list.slice(start, start + size));
  return out;
};

export const ingestDecisions = async (input: IngestBatchInput): Promise<IngestBatchResult> => {
  const { mailbox, items } = input;
  const uidValidity = BigInt(input.uidValidity);
  if (items.length === 0) return { entries: [] };
  for (const item of items) {
    const postAction = item.postAction ?? { action: 'leave' as const };
    if (postAction.action === 'move' && (postAction.target ?? '') === '') {
      throw new MailroomError(
        'ingest.move_without_target',
        'A move post-action needs a target folder.',
      );
    }
    if (item.decision.kind === 'create' && item.decision.ticket.tenantId !== mailbox.tenantId) {
      throw new MailroomError(
        'ingest.tenant_mismatch',
        'The ticket draft belongs to another tenant than the mailbox.',
      );
    }
  }
  const uids = items.map((item) => item.uid);

  return input.db.transaction(async (tx) => {
    const position = and(
      eq(ingestLedger.mailboxId, mailbox.id),
      eq(ingestLedger.folder, input.folder),
      eq(ingestLedger.uidValidity, uidValidity),
    );
    const existing = new Map<number, LedgerEntry>();
    for (const part of chunks(uids, 1000)) {
      const rows = await tx
        .select()
        .from(ingestLedger)
        .where(and(position, inArray(ingestLedger.uid, part)));
      for (const row of rows) existing.set(row.uid, row);
    }
    const fresh = items.filter((item) => !existing.has(item.uid));

    // Tickets: numbers from the tenant's counter in one bump (gap-free, serialized on its row).
    const creates = fresh.filter((item) => item.decision.kind === 'create');
    const ticketOf = new Map<number, string>();
    const messages: Array<{ id: string; ticketId: string; message: NewMessageInput }> = [];
    if (creates.length > 0) {
      const [counter] = await tx
        .insert(ticketCounters)
        .values({ tenantId: mailbox.tenantId, lastNumber: creates.length })
        .onConflictDoUpdate({
          target: ticketCounters.tenantId,
          set: { lastNumber: sql`${ticketCounters.lastNumber} + ${creates.length}` },
        })
        .returning({ number: ticketCounters.lastNumber });
      let number = counter!.number - creates.length;
      const rows = creates.map((item) => {
        if (item.decision.kind !== 'create') throw new Error('unreachable');
        const draft = item.decision.ticket;
        const id = randomUUID();
        number += 1;
        ticketOf.set(item.uid, id);
        messages.push({
          id: randomUUID(),
          ticketId: id,
          message: inboundMessage(draft.message, item.raw ?? null, draft.attachOriginalEml),
        });
        return {
          id,
          tenantId: mailbox.tenantId,
          number,
          source: 'email' as const,
          subject: draft.subject,
          status: 'open' as const,
          importance: draft.importance,
          ticketTypeId: draft.ticketTypeId ?? null,
          offerId: draft.offerId ?? null,
          templateId: draft.templateId ?? null,
          fields: draft.fields ?? {},
          restrictedFields: draft.restrictedFields ?? {},
          requesterAddress: draft.requester?.address.toLowerCase() ?? null,
          requesterName: draft.requester?.name ?? null,
          mailboxId: mailbox.id,
        };
      });
      for (const part of chunks(rows)) await tx.insert(tickets).values(part);
    }

    // Appends: the target must exist in the mailbox's tenant.
    const appends = fresh.filter((item) => item.decision.kind === 'append');
    if (appends.length > 0) {
      const wanted = [
        ...new Set(
          appends.map((item) => (item.decision.kind === 'append' ? item.decision.ticketId : '')),
        ),
      ];
      const found = new Set(
        (
          await tx
            .select({ id: tickets.id })
            .from(tickets)
            .where(and(inArray(tickets.id, wanted), eq(tickets.tenantId, mailbox.tenantId)))
        ).map((row) => row.id),
      );
      for (const item of appends) {
        if (item.decision.kind !== 'append') continue;
        if (!found.has(item.decision.ticketId)) throw ticketNotFound();
        ticketOf.set(item.uid, item.decision.ticketId);
        messages.push({
          id: randomUUID(),
          ticketId: item.decision.ticketId,
          message: inboundMessage(
            item.decision.message,
            item.raw ?? null,
            item.decision.attachOriginalEml,
          ),
        });
      }
      await tx.update(tickets).set({ updatedAt: new Date() }).where(inArray(tickets.id, wanted));
    }

    // Messages, then their attachments; bytes deduplicated in the blob store.
    for (const part of chunks(messages)) {
      await tx.insert(ticketMessages).values(
        part.map(({ id, ticketId, message }) => ({
          id,
          ticketId,
          direction: message.direction,
          messageId: message.messageId ?? null,
          inReplyTo: message.inReplyTo ?? [],
          references: message.references ?? [],
          from: message.from ?? null,
          to: message.to ?? [],
          cc: message.cc ?? [],
          subject: message.subject ?? '',
          text: message.text ?? '',
          html: message.html ?? null,
          sentAt: toDate(message.sentAt),
          authorUserId: message.authorUserId ?? null,
        })),
      );
    }
    const blobRows = new Map<string, { sha256: string; size: number; bytes: Uint8Array }>();
    const putLater = (bytes: Uint8Array): string => {
      const sha256 = sha256Hex(bytes);
      if (!blobRows.has(sha256)) blobRows.set(sha256, { sha256, size: bytes.byteLength, bytes });
      return sha256;
    };
    const attachmentRows = messages.flatMap(({ id, message }) =>
      (message.attachments ?? []).map((file, position) => {
        const sha256 = putLater(file.content);
        return {
          ticketMessageId: id,
          filename: file.filename,
          contentType: file.contentType,
          size: file.content.byteLength,
          contentId: file.contentId ?? null,
          inline: file.inline ?? false,
          position,
          sha256,
          md5: md5Hex(file.content),
          blobSha256: sha256,
        };
      }),
    );
    const rawBlobOf = new Map<number, string>();
    for (const item of fresh) {
      if (item.decision.kind === 'quarantine' && item.raw !== null && item.raw !== undefined)
        rawBlobOf.set(item.uid, putLater(item.raw));
    }
    // Blobs can be large: a few per statement.
    for (const part of chunks([...blobRows.values()], 20)) {
      await tx.insert(blobs).values(part).onConflictDoNothing({ target: blobs.sha256 });
    }
    for (const part of chunks(attachmentRows)) await tx.insert(attachments).values(part);

    // Ledger rows last, with their ticket: a position inserted meanwhile by another writer
    // rolls everything back instead of leaving a ticket without its row.
    const inserted = new Map<number, LedgerEntry>();
    const ledgerRows = fresh.map((item) => {
      const { decision } = item;
      const draft = messageDraftOf(decision);
      const raw = item.raw ?? null;
      const postAction = item.postAction ?? { action: 'leave' as const };
      const postActionState: PostActionState =
        postAction.action === 'leave' ? 'not_needed' : 'pending';
      return {
        tenantId: mailbox.tenantId,
        mailboxId: mailbox.id,
        folder: input.folder,
        uidValidity,
        uid: item.uid,
        messageId: item.envelope?.messageId ?? draft?.messageId ?? null,
        outcome: outcomeOf[decision.kind],
        reasonCode: decision.code,
        reasonDetail: decision.reason,
        error: decision.kind === 'quarantine' ? decision.error : null,
        rawBlobSha256: rawBlobOf.get(item.uid) ?? null,
        ticketId: ticketOf.get(item.uid) ?? null,
        fromAddress: item.envelope?.from ?? draft?.from?.address ?? null,
        subject: item.envelope?.subject ?? draft?.subject ?? null,
        size: item.envelope?.size ?? raw?.byteLength ?? null,
        attempts: item.attempts ?? 1,
        postAction: postAction.action,
        postActionState,
        postActionTarget: postAction.target ?? null,
      };
    });
    for (const part of chunks(ledgerRows)) {
      const rows = await tx
        .insert(ingestLedger)
        .values(part)
        .onConflictDoNothing({
          target: [
            ingestLedger.mailboxId,
            ingestLedger.folder,
            ingestLedger.uidValidity,
            ingestLedger.uid,
          ],
        })
        .returning();
      for (const row of rows) inserted.set(row.uid, row);
    }
    if (inserted.size !== fresh.length) {
      throw new MailroomError(
        'ingest.batch_conflict',
        'Another writer recorded some of these mails at the same time; the batch was rolled back.',
      );
    }

    const delta: Partial<MailboxCounters> = { seen: fresh.length };
    for (const item of fresh) {
      const key = counterOf[outcomeOf[item.decision.kind]];
      delta[key] = (delta[key] ?? 0) + 1;
    }
    if (fresh.length > 0) {
      await tx.update(mailboxes).set(counterIncrements(delta)).where(eq(mailboxes.id, mailbox.id));
    }
    await advanceCheckpoint(tx, {
      mailboxId: mailbox.id,
      folderPath: input.folder,
      uidValidity,
      ...(input.checkpoint?.initialSyncTotal === undefined
        ? {}
        : { initialSyncTotal: input.checkpoint.initialSyncTotal }),
      ...(input.checkpoint?.initialSyncDone === undefined
        ? {}
        : { initialSyncDone: input.checkpoint.initialSyncDone }),
      lastUid: input.checkpoint?.lastUid ?? Math.max(...uids),
    });
    return {
      entries: items.map((item) => {
        const old = existing.get(item.uid);
        return old !== undefined
          ? { entry: old, duplicate: true }
          : { entry: inserted.get(item.uid)!, duplicate: false };
      }),
    };
  });
};

/** Batch lookups for the mapping step's Message-ID dedupe and subject-token threading. */
export const findLedgerByMessageIds = async (
  db: Db,
  tenantId: string,
  messageIds: readonly string[],
): Promise<LedgerEntry[]> => {
  const wanted = [...new Set(messageIds.filter((id) => id !== ''))];
  if (wanted.length === 0) return [];
  const rows: LedgerEntry[] = [];
  for (const part of chunks(wanted, 1000)) {
    rows.push(
      ...(await db
        .select()
        .from(ingestLedger)
        .where(and(eq(ingestLedger.tenantId, tenantId), inArray(ingestLedger.messageId, part)))),
    );
  }
  return rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
};

/** The tenant's highest ticket number so far (0 before the first ticket). */
export const lastTicketNumber = async (db: Db, tenantId: string): Promise<number> => {
  const [row] = await db
    .select({ number: ticketCounters.lastNumber })
    .from(ticketCounters)
    .where(eq(ticketCounters.tenantId, tenantId));
  return row?.number ?? 0;
};
