/**
 * A tenant's ticket types: the named catalog a mailbox whitelists from. The
 * queries live in the shared named-catalog factory (same shape as offers);
 * this module fixes the table, the row type and the `ticket_type.*` errors.
 */
import type { Db } from '../database/database.types';
import { createNamedCatalogRepository } from '../shared/named-catalog.repository';
import { ticketTypes } from './ticket-types.tables';

export type TicketType = typeof ticketTypes.$inferSelect;

export const createTicketTypesRepository = ({ db }: { db: Db }) =>
  createNamedCatalogRepository({
    db,
    table: ticketTypes,
    errors: {
      notFound: { code: 'ticket_type.not_found', message: 'This ticket type does not exist.' },
      nameTaken: {
        code: 'ticket_type.name_taken',
        message: (name) => `A ticket type named "${name}" exists already.`,
      },
      invalidName: { code: 'ticket_type.invalid_name', message: 'Give the ticket type a name.' },
    },
  });

export type TicketTypesRepository = ReturnType<typeof createTicketTypesRepository>;
