/**
 * Reading tickets, their threads, one message's HTML and attachment bytes,
 * always inside the caller's tenant: another tenant's ticket is "not found",
 * and a message or attachment must belong to the ticket named in the URL.
 * Writing comes later.
 */
import type { BlobsRepository, TicketsRepository } from '@mailroom/db';
import type { TicketStatus } from '@mailroom/domain';
import { buildMessageDocument } from './message-document.models';
import {
  attachmentNotFoundError,
  messageNotFoundError,
  ticketNotFoundError,
} from './tickets.errors';

export function createTicketsUsecases({
  tickets,
  blobs,
}: {
  tickets: TicketsRepository;
  blobs: BlobsRepository;
}) {
  const getTicket = async (tenantId: string, id: string) => {
    const ticket = await tickets.get(id, { tenantId });
    if (!ticket) throw ticketNotFoundError();
    return ticket;
  };

  return {
    list: (
      tenantId: string,
      filter: { mailboxId?: string; status?: TicketStatus[]; limit?: number; offset?: number },
    ) => tickets.list({ tenantId, ...filter }),

    async getWithMessages(tenantId: string, id: string) {
      const ticket = await getTicket(tenantId, id);
      return { ticket, messages: await tickets.listMessages(ticket.id) };
    },

    /** The message as a stand-alone document, cid: images pointing at its own attachments. */
    async getMessageDocument(tenantId: string, ticketId: string, messageId: string) {
      const ticket = await getTicket(tenantId, ticketId);
      const message = (await tickets.listMessages(ticket.id)).find(
        (candidate) => candidate.id === messageId,
      );
      if (!message) throw messageNotFoundError();
      return {
        ticket,
        message,
        document: buildMessageDocument({
          ticketId: ticket.id,
          html: message.html,
          text: message.text,
          subject: message.subject,
          attachments: message.attachments,
        }),
      };
    },

    /** Attachment metadata and bytes; the whole blob is read (the store has no ranged reads). */
    async getAttachmentFile(tenantId: string, ticketId: string, attachmentId: string) {
      const ticket = await getTicket(tenantId, ticketId);
      const attachment = await tickets.getAttachment(attachmentId);
      if (!attachment || attachment.ticketId !== ticket.id || attachment.tenantId !== tenantId) {
        throw attachmentNotFoundError();
      }
      const blob = await blobs.get(attachment.blobSha256);
      if (!blob) throw attachmentNotFoundError();
      return { attachment, bytes: blob.bytes };
    },
  };
}

export type TicketsUsecases = ReturnType<typeof createTicketsUsecases>;
