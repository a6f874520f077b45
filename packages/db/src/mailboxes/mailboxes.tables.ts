import {
  healthStates,
  mailboxStatuses,
  type ConnectionPolicy,
  type ConnectionSettings,
  type OAuthSettings,
  type ReadingSettings,
  type TicketMapping,
} from '@mailroom/domain';
import { check, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, oneOf, timestamptz, updatedAt } from '../shared/columns';
import { tenants } from '../tenants/tenants.tables';

/** Names of stored secrets, as written in `mailbox_secrets.name`. */
export const storedSecretNames = [
  'password',
  'client_secret',
  'refresh_token',
  'msal_cache',
] as const;
export type StoredSecretName = (typeof storedSecretNames)[number];

export const mailboxes = pgTable(
  'mailboxes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The admin's switch: draft (never synced), active, paused. */
    status: text('status', { enum: mailboxStatuses }).notNull().default('draft'),

    // Settings, one jsonb per group, each validated by its domain zod schema on write.
    connection: jsonb('connection').$type<ConnectionSettings>().notNull(),
    oauth: jsonb('oauth').$type<OAuthSettings>(),
    policy: jsonb('policy').$type<ConnectionPolicy>().notNull(),
    reading: jsonb('reading').$type<ReadingSettings>().notNull(),
    mapping: jsonb('mapping').$type<TicketMapping>(),
    /** Bumped on every change a worker must react to (settings, status, admin secrets). */
    settingsVersion: integer('settings_version').notNull().default(1),

    // Health: the worker's view, shown to admins.
    healthState: text('health_state', { enum: healthStates }).notNull().default('idle'),
    healthAttempt: integer('health_attempt').notNull().default(0),
    healthMaxAttempts: integer('health_max_attempts').notNull().default(0),
    healthNextAttemptAt: timestamptz('health_next_attempt_at'),
    healthLastErrorCode: text('health_last_error_code'),
    healthLastErrorMessage: text('health_last_error_message'),
    healthLastSyncAt: timestamptz('health_last_sync_at'),
    healthUpdatedAt: timestamptz('health_updated_at'),
    /**
     * The settings_version at which the credentials were refused (health `auth_required`); a
     * runner that starts at this same version does not connect. Any bump makes it stale.
     */
    authParkedVersion: integer('auth_parked_version'),
    countSeen: integer('count_seen').notNull().default(0),
    countCreated: integer('count_created').notNull().default(0),
    countAppended: integer('count_appended').notNull().default(0),
    countSkipped: integer('count_skipped').notNull().default(0),
    countQuarantined: integer('count_quarantined').notNull().default(0),
    progressDone: integer('progress_done'),
    progressTotal: integer('progress_total'),

    // Lease: which worker runs this mailbox, until when (database clock).
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: timestamptz('lease_expires_at'),
    heartbeatAt: timestamptz('heartbeat_at'),

    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index('mailboxes_tenant_idx').on(table.tenantId),
    index('mailboxes_status_lease_idx').on(table.status, table.leaseExpiresAt),
    check('mailboxes_status_check', oneOf(table.status, mailboxStatuses)),
    check('mailboxes_health_state_check', oneOf(table.healthState, healthStates)),
  ],
);

/** AES-256-GCM ciphertexts; see secrets/secret-box.ts. Never returned to the API. */
export const mailboxSecrets = pgTable(
  'mailbox_secrets',
  {
    mailboxId: uuid('mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    name: text('name', { enum: storedSecretNames }).notNull(),
    ciphertext: bytea('ciphertext').notNull(),
    iv: bytea('iv').notNull(),
    tag: bytea('tag').notNull(),
    /** Which master key encrypted it, so keys can be rotated. */
    keyId: text('key_id').notNull(),
    updatedAt: updatedAt(),
  },
  (table) => [
    primaryKey({ columns: [table.mailboxId, table.name] }),
    check('mailbox_secrets_name_check', oneOf(table.name, storedSecretNames)),
  ],
);
