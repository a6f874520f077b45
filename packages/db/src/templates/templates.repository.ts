import {
  MailroomError,
  templateFieldSchema,
  type TemplateField,
  type TemplateStatus,
  type TicketTemplate,
} from '@mailroom/domain';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../database/database.types';
import { isUuid } from '../shared/ids';
import { isUniqueViolation } from '../shared/pg-errors';
import { parseOrThrow } from '../shared/validation';
import { ticketTemplates } from './templates.tables';

export type StoredTicketTemplate = TicketTemplate & { createdAt: Date; updatedAt: Date };

const toTemplate = (row: typeof ticketTemplates.$inferSelect): StoredTicketTemplate => ({
  id: row.id,
  tenantId: row.tenantId,
  name: row.name,
  status: row.status,
  fields: row.fields,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const parseFields = (fields: unknown): TemplateField[] => {
  const parsed = parseOrThrow(
    templateFieldSchema.array(),
    fields,
    'template.invalid_fields',
    'The template fields are not valid.',
    'fields',
  );
  const seen = new Set<string>();
  parsed.forEach((field, index) => {
    if (seen.has(field.key)) {
      throw new MailroomError(
        'template.duplicate_field',
        `The field key "${field.key}" is used twice.`,
        {
          issues: [{ path: `fields.${index}.key`, message: 'used twice' }],
        },
      );
    }
    seen.add(field.key);
    if (
      (field.type === 'select' || field.type === 'multiselect') &&
      (field.options ?? []).length === 0
    ) {
      throw new MailroomError(
        'template.missing_options',
        `The field "${field.key}" needs at least one option.`,
        {
          issues: [{ path: `fields.${index}.options`, message: 'add at least one option' }],
        },
      );
    }
  });
  return parsed;
};

const notFound = () =>
  new MailroomError('template.not_found', 'This ticket template does not exist.', {
    kind: 'not_found',
  });

const nameTaken = (name: string) =>
  new MailroomError('template.name_taken', `A ticket template named "${name}" exists already.`, {
    kind: 'conflict',
    issues: [{ path: 'name', message: 'already in use' }],
  });

export const createTemplatesRepository = ({ db }: { db: Db }) => ({
  async create(input: {
    tenantId: string;
    name: string;
    fields: unknown;
    status?: TemplateStatus;
  }): Promise<StoredTicketTemplate> {
    const fields = parseFields(input.fields);
    const name = input.name.trim();
    try {
      const [row] = await db
        .insert(ticketTemplates)
        .values({ tenantId: input.tenantId, name, fields, status: input.status ?? 'draft' })
        .returning();
      return toTemplate(row!);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(name);
      throw error;
    }
  },

  async get(id: string, scope?: { tenantId: string }): Promise<StoredTicketTemplate | null> {
    if (!isUuid(id)) return null;
    const conditions: SQL[] = [eq(ticketTemplates.id, id)];
    if (scope !== undefined) conditions.push(eq(ticketTemplates.tenantId, scope.tenantId));
    const [row] = await db
      .select()
      .from(ticketTemplates)
      .where(and(...conditions));
    return row === undefined ? null : toTemplate(row);
  },

  async listByTenant(
    tenantId: string,
    filter: { status?: TemplateStatus } = {},
  ): Promise<StoredTicketTemplate[]> {
    const conditions: SQL[] = [eq(ticketTemplates.tenantId, tenantId)];
    if (filter.status !== undefined) conditions.push(eq(ticketTemplates.status, filter.status));
    const rows = await db
      .select()
      .from(ticketTemplates)
      .where(and(...conditions))
      .orderBy(asc(ticketTemplates.name));
    return rows.map(toTemplate);
  },

  async update(
    id: string,
    patch: { name?: string; fields?: unknown },
  ): Promise<StoredTicketTemplate> {
    if (!isUuid(id)) throw notFound();
    const set: Partial<typeof ticketTemplates.$inferInsert> = { updatedAt: new Date() };
    if (patch.name !== undefined) set.name = patch.name.trim();
    if (patch.fields !== undefined) set.fields = parseFields(patch.fields);
    try {
      const [row] = await db
        .update(ticketTemplates)
        .set(set)
        .where(eq(ticketTemplates.id, id))
        .returning();
      if (row === undefined) throw notFound();
      return toTemplate(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(set.name ?? '');
      throw error;
    }
  },

  async setStatus(id: string, status: TemplateStatus): Promise<StoredTicketTemplate> {
    if (!isUuid(id)) throw notFound();
    const [row] = await db
      .update(ticketTemplates)
      .set({ status, updatedAt: new Date() })
      .where(eq(ticketTemplates.id, id))
      .returning();
    if (row === undefined) throw notFound();
    return toTemplate(row);
  },
});

export type TemplatesRepository = ReturnType<typeof createTemplatesRepository>;
