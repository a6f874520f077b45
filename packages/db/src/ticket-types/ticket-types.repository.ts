import { MailroomError } from '@mailroom/domain';
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../database/database.types';
import { isUuid } from '../shared/ids';
import { isUniqueViolation } from '../shared/pg-errors';
import { ticketTypes } from './ticket-types.tables';

export type TicketType = typeof ticketTypes.$inferSelect;

const notFound = () =>
  new MailroomError('ticket_type.not_found', 'This ticket type does not exist.', {
    kind: 'not_found',
  });

const nameTaken = (name: string) =>
  new MailroomError('ticket_type.name_taken', `A ticket type named "${name}" exists already.`, {
    kind: 'conflict',
    issues: [{ path: 'name', message: 'already in use' }],
  });

const requireName = (name: string): string => {
  const trimmed = name.trim();
  if (trimmed === '') {
    throw new MailroomError('ticket_type.invalid_name', 'Give the ticket type a name.', {
      issues: [{ path: 'name', message: 'required' }],
    });
  }
  return trimmed;
};

export const createTicketTypesRepository = ({ db }: { db: Db }) => ({
  async create(input: {
    tenantId: string;
    name: string;
    description?: string | null;
  }): Promise<TicketType> {
    const name = requireName(input.name);
    try {
      const [row] = await db
        .insert(ticketTypes)
        .values({ tenantId: input.tenantId, name, description: input.description ?? null })
        .returning();
      return row!;
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(name);
      throw error;
    }
  },

  async get(id: string, scope?: { tenantId: string }): Promise<TicketType | null> {
    if (!isUuid(id)) return null;
    const conditions: SQL[] = [eq(ticketTypes.id, id)];
    if (scope !== undefined) conditions.push(eq(ticketTypes.tenantId, scope.tenantId));
    const [row] = await db
      .select()
      .from(ticketTypes)
      .where(and(...conditions));
    return row ?? null;
  },

  /** The ones among `ids` that exist in the tenant (for validating a mailbox's whitelist). */
  async getMany(tenantId: string, ids: string[]): Promise<TicketType[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return db
      .select()
      .from(ticketTypes)
      .where(and(eq(ticketTypes.tenantId, tenantId), inArray(ticketTypes.id, valid)));
  },

  async listByTenant(tenantId: string): Promise<TicketType[]> {
    return db
      .select()
      .from(ticketTypes)
      .where(eq(ticketTypes.tenantId, tenantId))
      .orderBy(asc(ticketTypes.name));
  },

  async update(
    id: string,
    patch: { name?: string; description?: string | null },
  ): Promise<TicketType> {
    if (!isUuid(id)) throw notFound();
    const set: Partial<TicketType> = { updatedAt: new Date() };
    if (patch.name !== undefined) set.name = requireName(patch.name);
    if (patch.description !== undefined) set.description = patch.description;
    try {
      const [row] = await db.update(ticketTypes).set(set).where(eq(ticketTypes.id, id)).returning();
      if (row === undefined) throw notFound();
      return row;
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(set.name ?? '');
      throw error;
    }
  },
});

export type TicketTypesRepository = ReturnType<typeof createTicketTypesRepository>;
