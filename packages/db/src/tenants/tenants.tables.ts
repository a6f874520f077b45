import { pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from '../shared/columns';

export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Stable, URL-safe handle (`acme`); the CLI and the embedded start use `default`. */
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});
