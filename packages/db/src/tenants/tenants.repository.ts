import { MailroomError } from '@mailroom/domain';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../database/database.types';
import { isUuid } from '../shared/ids';
import { isUniqueViolation } from '../shared/pg-errors';
import { tenants } from './tenants.tables';

export type Tenant = typeof tenants.$inferSelect;

const slugPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

const checkSlug = (slug: string): void => {
  if (!slugPattern.test(slug)) {
    throw new MailroomError(
      'tenant.invalid_slug',
      'Use lower-case letters, digits and dashes for the tenant handle.',
      {
        issues: [{ path: 'slug', message: 'use lower-case letters, digits and dashes' }],
      },
    );
  }
};

export const createTenantsRepository = ({ db }: { db: Db }) => ({
  async create(input: { slug: string; name: string }): Promise<Tenant> {
    checkSlug(input.slug);
    try {
      const [row] = await db.insert(tenants).values(input).returning();
      return row!;
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new MailroomError(
          'tenant.slug_taken',
          `A tenant with the handle "${input.slug}" exists already.`,
          {
            kind: 'conflict',
          },
        );
      }
      throw error;
    }
  },

  /** Returns the tenant with this slug, creating it first if needed (safe to race). */
  async ensure(input: { slug: string; name: string }): Promise<Tenant> {
    checkSlug(input.slug);
    await db.insert(tenants).values(input).onConflictDoNothing({ target: tenants.slug });
    const [row] = await db.select().from(tenants).where(eq(tenants.slug, input.slug));
    return row!;
  },

  async get(id: string): Promise<Tenant | null> {
    if (!isUuid(id)) return null;
    const [row] = await db.select().from(tenants).where(eq(tenants.id, id));
    return row ?? null;
  },

  async getBySlug(slug: string): Promise<Tenant | null> {
    const [row] = await db.select().from(tenants).where(eq(tenants.slug, slug));
    return row ?? null;
  },

  async list(): Promise<Tenant[]> {
    return db.select().from(tenants).orderBy(asc(tenants.createdAt), asc(tenants.slug));
  },
});

export type TenantsRepository = ReturnType<typeof createTenantsRepository>;
