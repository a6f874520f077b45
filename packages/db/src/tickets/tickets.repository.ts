/**
 * Tickets and their messages. Ticket numbers come from a per-tenant counter
 * row bumped in the same transaction as the insert: gap-free (a rolled-back
 * create gives its number back) and race-free (concurrent creators queue on
 * the counter row). Message and attachment bytes go to the blob store.
 */
import {
  MailroomError,
  type Importance,
  type TicketStatus,
  type FieldValue,
} from '@mailroom/domain';
import { and, asc, count, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { Db } from '../database/database.types';
import { putBlob } from '../blobs/blobs.repository';
import { md5Hex } from '../shared/hashing';
import { isUuid } from '../shared/ids';
import { pageBounds, type Page, type PageRequest } from '../shared/paging';
import {
  collectAddresses,
  toAttachment,
  toMessage,
  toTicket,
  type Attachment,
  type NewMessageInput,
  type NewTicketInput,
  type ThreadLookupHit,
  type Ticket,
  type TicketMessage,
} from './tickets.models';
import { attachments, ticketCounters, ticketMessages, tickets } from './tickets.tables';

export const ticketNotFound = () =>
  new MailroomError('ticket.not_found', 'This ticket does not exist.', { kind: 'not_found' });

const toDate = (value: Date | string | null | undefined): Date | null => {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

/** Next ticket number of the tenant. Must run inside the transaction that inserts the ticket. */
const allocateNumber = async (tx: Db, tenantId: string): Promise<number> => {
  const [counter] = await tx
    .insert(ticketCounters)
    .values({ tenantId, lastNumber: 1 })
    .onConflictDoUpdate({
      target: ticketCounters.tenantId,
      set: { lastNumber: sql`${ticketCounters.lastNumber} + 1` },
    })
    .returning({ number: ticketCounters.lastNumber });
  return counter!.number;
};

/** Stores one message with its attachments (bytes deduplicated); call inside a transaction. */
export const insertMessage = async (
  tx: Db,
  ticketId: string,
  input: NewMessageInput,
): Promise<TicketMessage> => {
  const [row] = await tx
    .insert(ticketMessages)
    .values({
      ticketId,
      direction: input.direction,
      messageId: input.messageId ?? null,
      inReplyTo: input.inReplyTo ?? [],
      references: input.references ?? [],
      from: input.from ?? null,
      to: input.to ?? [],
      cc: input.cc ?? [],
      subject: input.subject ?? '',
      text: input.text ?? '',
      html: input.html ?? null,
      sentAt: toDate(input.sentAt),
      authorUserId: input.authorUserId ?? null,
    })
    .returning();
  const files: Attachment[] = [];
  for (const [position, file] of (input.attachments ?? []).entries()) {
    const blob = await putBlob(tx, file.content);
    const [stored] = await tx
      .insert(attachments)
      .values({
        ticketMessageId: row!.id,
        filename: file.filename,
        contentType: file.contentType,
        size: blob.size,
        contentId: file.contentId ?? null,
        inline: file.inline ?? false,
        position,
        sha256: blob.sha256,
        md5: md5Hex(file.content),
        blobSha256: blob.sha256,
      })
      .returning();
    files.push(toAttachment(stored!));
  }
  await tx.update(tickets).set({ updatedAt: new Date() }).where(eq(tickets.id, ticketId));
  return toMessage(row!, files);
};

/** Allocates the number and inserts the ticket (and its first message); call inside a transaction. */
export const insertTicket = async (
  tx: Db,
  input: NewTicketInput,
): Promise<{ ticket: Ticket; message: TicketMessage | null }> => {
  const number = await allocateNumber(tx, input.tenantId);
  const [row] = await tx
    .insert(tickets)
    .values({
      tenantId: input.tenantId,
      number,
      source: input.source,
      subject: input.subject,
      status: input.status ?? 'open',
      importance: input.importance ?? 'medium',
      ticketTypeId: input.ticketTypeId ?? null,
      offerId: input.offerId ?? null,
      templateId: input.templateId ?? null,
      fields: input.fields ?? {},
      restrictedFields: input.restrictedFields ?? {},
      requesterAddress: input.requester?.address.toLowerCase() ?? null,
      requesterName: input.requester?.name ?? null,
      mailboxId: input.mailboxId ?? null,
    })
    .returning();
  const message =
    input.message === undefined ? null : await insertMessage(tx, row!.id, input.message);
  return { ticket: toTicket(row!), message };
};

/** Addresses on each ticket: requester plus from / to / cc of its messages. */
const participantsOf = async (db: Db, ticketIds: string[]): Promise<Map<string, string[]>> => {
  const result = new Map<string, string[]>();
  if (ticketIds.length === 0) return result;
  const requesters = await db
    .select({ id: tickets.id, address: tickets.requesterAddress, name: tickets.requesterName })
    .from(tickets)
    .where(inArray(tickets.id, ticketIds));
  const messages = await db
    .select({
      ticketId: ticketMessages.ticketId,
      from: ticketMessages.from,
      to: ticketMessages.to,
      cc: ticketMessages.cc,
    })
    .from(ticketMessages)
    .where(inArray(ticketMessages.ticketId, ticketIds))
    .orderBy(asc(ticketMessages.createdAt));
  for (const requester of requesters) {
    const addresses = [
      requester.address === null
        ? null
        : { address: requester.address, name: requester.name ?? '' },
      ...messages
        .filter((message) => message.ticketId === requester.id)
        .flatMap((message) => [message.from, ...message.to, ...message.cc]),
    ];
    result.set(requester.id, collectAddresses(addresses));
  }
  return result;
};

export interface TicketListFilter extends PageRequest {
  tenantId: string;
  mailboxId?: string;
  status?: TicketStatus | TicketStatus[];
}

export const createTicketsRepository = ({ db }: { db: Db }) => ({
  /** Creates a ticket with the tenant's next number, and its first message if given. */
  async create(input: NewTicketInput): Promise<{ ticket: Ticket; message: TicketMessage | null }> {
    return db.transaction((tx) => insertTicket(tx, input));
  },

  async get(id: string, scope?: { tenantId: string }): Promise<Ticket | null> {
    if (!isUuid(id)) return null;
    const conditions: SQL[] = [eq(tickets.id, id)];
    if (scope !== undefined) conditions.push(eq(tickets.tenantId, scope.tenantId));
    const [row] = await db
      .select()
      .from(tickets)
      .where(and(...conditions));
    return row === undefined ? null : toTicket(row);
  },

  async getByNumber(tenantId: string, number: number): Promise<Ticket | null> {
    if (!Number.isSafeInteger(number)) return null;
    const [row] = await db
      .select()
      .from(tickets)
      .where(and(eq(tickets.tenantId, tenantId), eq(tickets.number, number)));
    return row === undefined ? null : toTicket(row);
  },

  /** Newest first (by number). */
  async list(filter: TicketListFilter): Promise<Page<Ticket>> {
    const { limit, offset } = pageBounds(filter);
    const conditions: SQL[] = [eq(tickets.tenantId, filter.tenantId)];
    if (filter.mailboxId !== undefined) {
      if (!isUuid(filter.mailboxId)) return { items: [], total: 0, limit, offset };
      conditions.push(eq(tickets.mailboxId, filter.mailboxId));
    }
    if (filter.status !== undefined) {
      const statuses = Array.isArray(filter.status) ? filter.status : [filter.status];
      if (statuses.length > 0) conditions.push(inArray(tickets.status, statuses));
    }
    const where = and(...conditions);
    const rows = await db
      .select()
      .from(tickets)
      .where(where)
      .orderBy(desc(tickets.number))
      .limit(limit)
      .offset(offset);
    const [total] = await db.select({ value: count() }).from(tickets).where(where);
    return { items: rows.map(toTicket), total: total?.value ?? 0, limit, offset };
  },

  async update(
    id: string,
    patch: {
      subject?: string;
      status?: TicketStatus;
      importance?: Importance;
      ticketTypeId?: string | null;
      offerId?: string | null;
      fields?: Record<string, FieldValue>;
    },
  ): Promise<Ticket> {
    if (!isUuid(id)) throw ticketNotFound();
    const [row] = await db
      .update(tickets)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(tickets.id, id))
      .returning();
    if (row === undefined) throw ticketNotFound();
    return toTicket(row);
  },

  /** Thread lookup: tickets in the tenant holding a message with one of these Message-IDs. */
  async findByMessageIds(tenantId: string, messageIds: string[]): Promise<ThreadLookupHit[]> {
    const wanted = [...new Set(messageIds.filter((id) => id !== ''))];
    if (wanted.length === 0) return [];
    const rows = await db
      .select({ ticketId: tickets.id, number: tickets.number, messageId: ticketMessages.messageId })
      .from(ticketMessages)
      .innerJoin(tickets, eq(tickets.id, ticketMessages.ticketId))
      .where(and(eq(tickets.tenantId, tenantId), inArray(ticketMessages.messageId, wanted)));
    const hits = new Map<string, { number: number; matched: Set<string>; rank: number }>();
    for (const row of rows) {
      const rank = wanted.indexOf(row.messageId!);
      const hit = hits.get(row.ticketId) ?? {
        number: row.number,
        matched: new Set<string>(),
        rank,
      };
      hit.matched.add(row.messageId!);
      hit.rank = Math.min(hit.rank, rank);
      hits.set(row.ticketId, hit);
    }
    const participants = await participantsOf(db, [...hits.keys()]);
    return [...hits.entries()]
      .sort(([, a], [, b]) => a.rank - b.rank || b.number - a.number)
      .map(([ticketId, hit]) => ({
        ticketId,
        ticketNumber: hit.number,
        matchedMessageIds: wanted.filter((id) => hit.matched.has(id)),
        participants: participants.get(ticketId) ?? [],
      }));
  },

  /** Thread lookup by ticket numbers named in a subject (`[#1042]`). */
  async findByNumbers(tenantId: string, numbers: number[]): Promise<ThreadLookupHit[]> {
    const wanted = [
      ...new Set(numbers.filter((number) => Number.isSafeInteger(number) && number > 0)),
    ];
    if (wanted.length === 0) return [];
    const rows = await db
      .select({ id: tickets.id, number: tickets.number })
      .from(tickets)
      .where(and(eq(tickets.tenantId, tenantId), inArray(tickets.number, wanted)));
    const participants = await participantsOf(
      db,
      rows.map((row) => row.id),
    );
    return rows
      .sort((a, b) => wanted.indexOf(a.number) - wanted.indexOf(b.number))
      .map((row) => ({
        ticketId: row.id,
        ticketNumber: row.number,
        matchedMessageIds: [],
        participants: participants.get(row.id) ?? [],
      }));
  },

  async addMessage(ticketId: string, input: NewMessageInput): Promise<TicketMessage> {
    if (!isUuid(ticketId)) throw ticketNotFound();
    return db.transaction(async (tx) => {
      const [ticket] = await tx
        .select({ id: tickets.id })
        .from(tickets)
        .where(eq(tickets.id, ticketId));
      if (ticket === undefined) throw ticketNotFound();
      return insertMessage(tx, ticketId, input);
    });
  },

  /** Oldest first, each with its attachments (metadata; bytes through the blob store). */
  async listMessages(ticketId: string): Promise<TicketMessage[]> {
    if (!isUuid(ticketId)) return [];
    const rows = await db
      .select()
      .from(ticketMessages)
      .where(eq(ticketMessages.ticketId, ticketId))
      .orderBy(asc(ticketMessages.createdAt), asc(ticketMessages.id));
    if (rows.length === 0) return [];
    const files = await db
      .select()
      .from(attachments)
      .where(
        inArray(
          attachments.ticketMessageId,
          rows.map((row) => row.id),
        ),
      )
      .orderBy(asc(attachments.position), asc(attachments.id));
    return rows.map((row) =>
      toMessage(row, files.filter((file) => file.ticketMessageId === row.id).map(toAttachment)),
    );
  },

  /** One attachment with the ticket and tenant it belongs to, for access checks on download. */
  async getAttachment(
    id: string,
  ): Promise<(Attachment & { ticketId: string; tenantId: string }) | null> {
    if (!isUuid(id)) return null;
    const [row] = await db
      .select({ attachment: attachments, ticketId: tickets.id, tenantId: tickets.tenantId })
      .from(attachments)
      .innerJoin(ticketMessages, eq(ticketMessages.id, attachments.ticketMessageId))
      .innerJoin(tickets, eq(tickets.id, ticketMessages.ticketId))
      .where(eq(attachments.id, id));
    return row === undefined
      ? null
      : { ...toAttachment(row.attachment), ticketId: row.ticketId, tenantId: row.tenantId };
  },
});

export type TicketsRepository = ReturnType<typeof createTicketsRepository>;
