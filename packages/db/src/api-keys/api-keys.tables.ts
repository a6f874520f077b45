import { userRoles } from '@mailroom/domain';
import { check, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, oneOf, timestamptz } from '../shared/columns';
import { tenants } from '../tenants/tenants.tables';
import { users } from '../users/users.tables';

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Shown to humans to tell keys apart (`mr_<prefix>_...`); also the lookup key. */
    prefix: text('prefix').notNull().unique(),
    /** sha256 (hex) of the whole plaintext key. */
    keyHash: text('key_hash').notNull(),
    role: text('role', { enum: userRoles }).notNull(),
    createdByUserId: uuid('created_by_user_id').references(() => users.id, {
      onDelete: 'set null',
    }),
    createdAt: createdAt(),
    lastUsedAt: timestamptz('last_used_at'),
    revokedAt: timestamptz('revoked_at'),
  },
  (table) => [
    index('api_keys_tenant_idx').on(table.tenantId),
    check('api_keys_role_check', oneOf(table.role, userRoles)),
  ],
);
