/**
 * Ticket types and offers are the same kind of table: a tenant's catalog of
 * named entries (unique name per tenant, optional description). This factory
 * holds their one repository so the two cannot drift apart; each module keeps
 * its own table, row type and error codes.
 */
import { MailroomError } from '@mailroom/domain';
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../database/database.types';
import { isUuid } from './ids';
import { isUniqueViolation } from './pg-errors';

/** A row of a named catalog table. */
export interface NamedCatalogEntry {
  id: string;
  tenantId: string;
  name: string;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A table with the columns of `NamedCatalogEntry` (see offers.tables.ts, ticket-types.tables.ts). */
export type NamedCatalogTable = PgTable & {
  id: PgColumn;
  tenantId: PgColumn;
  name: PgColumn;
  description: PgColumn;
  updatedAt: PgColumn;
  $inferSelect: NamedCatalogEntry;
};

/** The errors a catalog reports, each with its own code and wording. */
export interface NamedCatalogErrors {
  notFound: { code: string; message: string };
  nameTaken: { code: string; message: (name: string) => string };
  invalidName: { code: string; message: string };
}

export const createNamedCatalogRepository = <TTable extends NamedCatalogTable>({
  db,
  table,
  errors,
}: {
  db: Db;
  table: TTable;
  errors: NamedCatalogErrors;
}) => {
  type Row = TTable['$inferSelect'];
  // drizzle cannot resolve query result types over a generic table; the rows are `Row`.
  const anyTable: PgTable = table;

  const notFound = () =>
    new MailroomError(errors.notFound.code, errors.notFound.message, { kind: 'not_found' });

  const nameTaken = (name: string) =>
    new MailroomError(errors.nameTaken.code, errors.nameTaken.message(name), {
      kind: 'conflict',
      issues: [{ path: 'name', message: 'already in use' }],
    });

  const requireName = (name: string): string => {
    const trimmed = name.trim();
    if (trimmed === '') {
      throw new MailroomError(errors.invalidName.code, errors.invalidName.message, {
        issues: [{ path: 'name', message: 'required' }],
      });
    }
    return trimmed;
  };

  return {
    async create(input: {
      tenantId: string;
      name: string;
      description?: string | null;
    }): Promise<Row> {
      const name = requireName(input.name);
      try {
        const [row] = await db
          .insert(anyTable)
          .values({ tenantId: input.tenantId, name, description: input.description ?? null })
          .returning();
        return row as Row;
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(name);
        throw error;
      }
    },

    async get(id: string, scope?: { tenantId: string }): Promise<Row | null> {
      if (!isUuid(id)) return null;
      const conditions: SQL[] = [eq(table.id, id)];
      if (scope !== undefined) conditions.push(eq(table.tenantId, scope.tenantId));
      const [row] = await db
        .select()
        .from(anyTable)
        .where(and(...conditions));
      return (row as Row | undefined) ?? null;
    },

    /** The ones among `ids` that exist in the tenant (for validating a mailbox's settings). */
    async getMany(tenantId: string, ids: string[]): Promise<Row[]> {
      const valid = ids.filter(isUuid);
      if (valid.length === 0) return [];
      const rows = await db
        .select()
        .from(anyTable)
        .where(and(eq(table.tenantId, tenantId), inArray(table.id, valid)));
      return rows as Row[];
    },

    async listByTenant(tenantId: string): Promise<Row[]> {
      const rows = await db
        .select()
        .from(anyTable)
        .where(eq(table.tenantId, tenantId))
        .orderBy(asc(table.name));
      return rows as Row[];
    },

    async update(id: string, patch: { name?: string; description?: string | null }): Promise<Row> {
      if (!isUuid(id)) throw notFound();
      const set: Partial<NamedCatalogEntry> = { updatedAt: new Date() };
      if (patch.name !== undefined) set.name = requireName(patch.name);
      if (patch.description !== undefined) set.description = patch.description;
      try {
        const [row] = await db.update(anyTable).set(set).where(eq(table.id, id)).returning();
        if (row === undefined) throw notFound();
        return row as Row;
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(set.name ?? '');
        throw error;
      }
    },
  };
};
