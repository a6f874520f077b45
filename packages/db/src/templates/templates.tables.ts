import { templateStatuses, type TemplateField } from '@mailroom/domain';
import { check, jsonb, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, oneOf, updatedAt } from '../shared/columns';
import { tenants } from '../tenants/tenants.tables';

export const ticketTemplates = pgTable(
  'ticket_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    status: text('status', { enum: templateStatuses }).notNull().default('draft'),
    /** Validated with the domain's templateFieldSchema before every write. */
    fields: jsonb('fields').$type<TemplateField[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    unique('ticket_templates_tenant_name_unique').on(table.tenantId, table.name),
    check('ticket_templates_status_check', oneOf(table.status, templateStatuses)),
  ],
);
