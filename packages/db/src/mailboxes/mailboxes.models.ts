/**
 * Pure mapping between mailbox rows and the domain's shapes: settings groups
 * <-> jsonb columns, health columns <-> MailboxHealth (ISO strings, as the
 * domain type says). No I/O here.
 */
import type {
  HealthState,
  MailboxHealth,
  MailboxSettings,
  MailboxStatus,
  SecretName,
} from '@mailroom/domain';
import type { StoredSecretName } from './mailboxes.tables';
import type { mailboxes } from './mailboxes.tables';

export type MailboxRow = typeof mailboxes.$inferSelect;

/** The admin's write-only secrets plus MSAL's token cache, which the worker writes. */
export type MailboxSecretName = SecretName | 'msalCache';

export const secretNameToStored: Record<MailboxSecretName, StoredSecretName> = {
  password: 'password',
  clientSecret: 'client_secret',
  refreshToken: 'refresh_token',
  msalCache: 'msal_cache',
};

export const storedToSecretName: Record<StoredSecretName, MailboxSecretName> = {
  password: 'password',
  client_secret: 'clientSecret',
  refresh_token: 'refreshToken',
  msal_cache: 'msalCache',
};

export type SecretsPresent = Record<MailboxSecretName, boolean>;

export const noSecretsPresent = (): SecretsPresent => ({
  password: false,
  clientSecret: false,
  refreshToken: false,
  msalCache: false,
});

export interface MailboxLease {
  owner: string | null;
  expiresAt: Date | null;
  heartbeatAt: Date | null;
}

export interface Mailbox {
  id: string;
  tenantId: string;
  name: string;
  status: MailboxStatus;
  settings: MailboxSettings;
  settingsVersion: number;
  health: MailboxHealth;
  /**
   * The settings_version at which the worker parked the mailbox in `auth_required` (credentials
   * refused), or null. Equal to `settingsVersion`: still parked, a runner must not connect.
   */
  authParkedVersion: number | null;
  /** Which secrets are stored; the values never leave the repository but through `getSecrets`. */
  secretsPresent: SecretsPresent;
  lease: MailboxLease;
  createdAt: Date;
  updatedAt: Date;
}

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

export const toSettings = (row: MailboxRow): MailboxSettings => ({
  name: row.name,
  connection: row.connection,
  ...(row.oauth === null ? {} : { oauth: row.oauth }),
  policy: row.policy,
  reading: row.reading,
  ...(row.mapping === null ? {} : { mapping: row.mapping }),
});

export const toHealth = (row: MailboxRow): MailboxHealth => ({
  state: row.healthState,
  attempt: row.healthAttempt,
  maxAttempts: row.healthMaxAttempts,
  nextAttemptAt: iso(row.healthNextAttemptAt),
  lastErrorCode: row.healthLastErrorCode,
  lastErrorMessage: row.healthLastErrorMessage,
  lastSyncAt: iso(row.healthLastSyncAt),
  counters: {
    seen: row.countSeen,
    created: row.countCreated,
    appended: row.countAppended,
    skipped: row.countSkipped,
    quarantined: row.countQuarantined,
  },
  progress:
    row.progressDone === null || row.progressTotal === null
      ? null
      : { done: row.progressDone, total: row.progressTotal },
  updatedAt: iso(row.healthUpdatedAt),
});

export const toMailbox = (row: MailboxRow, secretsPresent: SecretsPresent): Mailbox => ({
  id: row.id,
  tenantId: row.tenantId,
  name: row.name,
  status: row.status,
  settings: toSettings(row),
  settingsVersion: row.settingsVersion,
  health: toHealth(row),
  authParkedVersion: row.authParkedVersion,
  secretsPresent,
  lease: { owner: row.leaseOwner, expiresAt: row.leaseExpiresAt, heartbeatAt: row.heartbeatAt },
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/** The settings groups as column values. */
export const settingsColumns = (settings: MailboxSettings) => ({
  name: settings.name,
  connection: settings.connection,
  oauth: settings.oauth ?? null,
  policy: settings.policy,
  reading: settings.reading,
  mapping: settings.mapping ?? null,
});

/** What a worker reports; dates as Date or ISO string. Omitted keys stay unchanged. */
export interface HealthPatch {
  state?: HealthState;
  attempt?: number;
  maxAttempts?: number;
  nextAttemptAt?: Date | string | null;
  lastErrorCode?: string | null;
  lastErrorMessage?: string | null;
  lastSyncAt?: Date | string | null;
  progress?: { done: number; total: number } | null;
  /** The settings_version whose credentials were refused (parks the mailbox), or null to clear. */
  authParkedVersion?: number | null;
}

const toDate = (value: Date | string | null): Date | null =>
  value === null ? null : value instanceof Date ? value : new Date(value);

export const healthColumns = (patch: HealthPatch): Partial<MailboxRow> => {
  const set: Partial<MailboxRow> = {};
  if (patch.state !== undefined) set.healthState = patch.state;
  if (patch.attempt !== undefined) set.healthAttempt = patch.attempt;
  if (patch.maxAttempts !== undefined) set.healthMaxAttempts = patch.maxAttempts;
  if (patch.nextAttemptAt !== undefined) set.healthNextAttemptAt = toDate(patch.nextAttemptAt);
  if (patch.lastErrorCode !== undefined) set.healthLastErrorCode = patch.lastErrorCode;
  if (patch.lastErrorMessage !== undefined) set.healthLastErrorMessage = patch.lastErrorMessage;
  if (patch.lastSyncAt !== undefined) set.healthLastSyncAt = toDate(patch.lastSyncAt);
  if (patch.progress !== undefined) {
    set.progressDone = patch.progress?.done ?? null;
    set.progressTotal = patch.progress?.total ?? null;
  }
  if (patch.authParkedVersion !== undefined) set.authParkedVersion = patch.authParkedVersion;
  return set;
};
