import { MailroomError } from '@mailroom/domain';
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../database/database.types';
import { isUuid } from '../shared/ids';
import { isUniqueViolation } from '../shared/pg-errors';
import { offers } from './offers.tables';

export type Offer = typeof offers.$inferSelect;

const notFound = () =>
  new MailroomError('offer.not_found', 'This offer does not exist.', { kind: 'not_found' });

const nameTaken = (name: string) =>
  new MailroomError('offer.name_taken', `An offer named "${name}" exists already.`, {
    kind: 'conflict',
    issues: [{ path: 'name', message: 'already in use' }],
  });

const requireName = (name: string): string => {
  const trimmed = name.trim();
  if (trimmed === '') {
    throw new MailroomError('offer.invalid_name', 'Give the offer a name.', {
      issues: [{ path: 'name', message: 'required' }],
    });
  }
  return trimmed;
};

export const createOffersRepository = ({ db }: { db: Db }) => ({
  async create(input: {
    tenantId: string;
    name: string;
    description?: string | null;
  }): Promise<Offer> {
    const name = requireName(input.name);
    try {
      const [row] = await db
        .insert(offers)
        .values({ tenantId: input.tenantId, name, description: input.description ?? null })
        .returning();
      return row!;
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(name);
      throw error;
    }
  },

  async get(id: string, scope?: { tenantId: string }): Promise<Offer | null> {
    if (!isUuid(id)) return null;
    const conditions: SQL[] = [eq(offers.id, id)];
    if (scope !== undefined) conditions.push(eq(offers.tenantId, scope.tenantId));
    const [row] = await db
      .select()
      .from(offers)
      .where(and(...conditions));
    return row ?? null;
  },

  /** The ones among `ids` that exist in the tenant (for validating a mailbox's default offer). */
  async getMany(tenantId: string, ids: string[]): Promise<Offer[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return db
      .select()
      .from(offers)
      .where(and(eq(offers.tenantId, tenantId), inArray(offers.id, valid)));
  },

  async listByTenant(tenantId: string): Promise<Offer[]> {
    return db.select().from(offers).where(eq(offers.tenantId, tenantId)).orderBy(asc(offers.name));
  },

  async update(id: string, patch: { name?: string; description?: string | null }): Promise<Offer> {
    if (!isUuid(id)) throw notFound();
    const set: Partial<Offer> = { updatedAt: new Date() };
    if (patch.name !== undefined) set.name = requireName(patch.name);
    if (patch.description !== undefined) set.description = patch.description;
    try {
      const [row] = await db.update(offers).set(set).where(eq(offers.id, id)).returning();
      if (row === undefined) throw notFound();
      return row;
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(set.name ?? '');
      throw error;
    }
  },
});

export type OffersRepository = ReturnType<typeof createOffersRepository>;
