import { bigint, pgTable, text } from 'drizzle-orm/pg-core';
import { bytea, createdAt } from '../shared/columns';

/** Content-addressed bytes: the key is the sha256 of the content, so equal files are stored once. */
export const blobs = pgTable('blobs', {
  sha256: text('sha256').primaryKey(),
  size: bigint('size', { mode: 'number' }).notNull(),
  bytes: bytea('bytes').notNull(),
  createdAt: createdAt(),
});
