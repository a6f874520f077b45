/** Reading tickets and their threads, always inside the caller's tenant. Writing comes later. */
import type { TicketsRepository } from '@mailroom/db';
import { MailroomError, type TicketStatus } from '@mailroom/domain';

export const ticketNotFoundError = () =>
  new MailroomError('ticket.not_found', 'This ticket does not exist.', { kind: 'not_found' });

export function createTicketsUsecases({ tickets }: { tickets: TicketsRepository }) {
  return {
    list: (
      tenantId: string,
      filter: { mailboxId?: string; status?: TicketStatus[]; limit?: number; offset?: number },
    ) => tickets.list({ tenantId, ...filter }),

    async getWithMessages(tenantId: string, id: string) {
      const ticket = await tickets.get(id, { tenantId });
      if (!ticket) throw ticketNotFoundError();
      return { ticket, messages: await tickets.listMessages(ticket.id) };
    },
  };
}

export type TicketsUsecases = ReturnType<typeof createTicketsUsecases>;
