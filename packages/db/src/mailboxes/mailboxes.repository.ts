/**
 * Mailboxes: the admin's settings (validated by the domain schemas on every
 * write), status, the worker's health and counters, encrypted secrets, and the
 * leases that share mailboxes among workers. Every change a worker must react
 * to bumps `settings_version`.
 */
import {
  MailroomError,
  mailboxSettingsSchema,
  type MailboxCounters,
  type MailboxSettings,
  type MailboxSettingsInput,
  type MailboxStatus,
} from '@mailroom/domain';
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../database/database.types';
import type { SecretBox } from '../secrets/secret-box';
import { isUuid } from '../shared/ids';
import { parseOrThrow } from '../shared/validation';
import { createMailboxLeasesRepository } from './mailbox-leases.repository';
import { createMailboxSecretsRepository, mailboxNotFound } from './mailbox-secrets.repository';
import {
  healthColumns,
  settingsColumns,
  toMailbox,
  toSettings,
  type HealthPatch,
  type Mailbox,
  type MailboxRow,
} from './mailboxes.models';
import { mailboxes } from './mailboxes.tables';

const parseSettings = (input: unknown): MailboxSettings =>
  parseOrThrow(
    mailboxSettingsSchema,
    input,
    'mailbox.invalid_settings',
    'The mailbox settings are not valid.',
  );

/** Settings groups to replace; a group given as null (oauth, mapping) is removed. */
export type MailboxSettingsPatch = {
  [K in keyof MailboxSettingsInput]?:
    MailboxSettingsInput[K] | (undefined extends MailboxSettingsInput[K] ? null : never);
};

const bumpVersion = () => sql`${mailboxes.settingsVersion} + 1`;

export const createMailboxesRepository = ({ db, secretBox }: { db: Db; secretBox?: SecretBox }) => {
  const secrets = createMailboxSecretsRepository({ db, secretBox });
  const leases = createMailboxLeasesRepository({ db });

  const withSecrets = async (rows: MailboxRow[]): Promise<Mailbox[]> => {
    const present = await secrets.presentFor(rows.map((row) => row.id));
    return rows.map((row) => toMailbox(row, present.get(row.id)!));
  };

  const getRow = async (id: string, scope?: { tenantId: string }): Promise<MailboxRow | null> => {
    if (!isUuid(id)) return null;
    const conditions: SQL[] = [eq(mailboxes.id, id)];
    if (scope !== undefined) conditions.push(eq(mailboxes.tenantId, scope.tenantId));
    const [row] = await db
      .select()
      .from(mailboxes)
      .where(and(...conditions));
    return row ?? null;
  };

  const get = async (id: string, scope?: { tenantId: string }): Promise<Mailbox | null> => {
    const row = await getRow(id, scope);
    return row === null ? null : (await withSecrets([row]))[0]!;
  };

  const requireMailbox = async (id: string): Promise<Mailbox> => {
    const mailbox = await get(id);
    if (mailbox === null) throw mailboxNotFound();
    return mailbox;
  };

  return {
    /** A new mailbox is always a draft; activation is a separate, checked step. */
    async create(input: { tenantId: string; settings: MailboxSettingsInput }): Promise<Mailbox> {
      const settings = parseSettings(input.settings);
      const [row] = await db
        .insert(mailboxes)
        .values({ tenantId: input.tenantId, status: 'draft', ...settingsColumns(settings) })
        .returning();
      return (await withSecrets([row!]))[0]!;
    },

    get,

    async listByTenant(tenantId: string): Promise<Mailbox[]> {
      const rows = await db
        .select()
        .from(mailboxes)
        .where(eq(mailboxes.tenantId, tenantId))
        .orderBy(asc(mailboxes.name), asc(mailboxes.createdAt));
      return withSecrets(rows);
    },

    /** Every active mailbox of every tenant. */
    async listActive(): Promise<Mailbox[]> {
      const rows = await db
        .select()
        .from(mailboxes)
        .where(eq(mailboxes.status, 'active'))
        .orderBy(asc(mailboxes.createdAt));
      return withSecrets(rows);
    },

    /**
     * Replaces the given settings groups and bumps settings_version. With
     * `expectedVersion`, refuses (conflict) when someone saved in between.
     */
    async updateSettings(
      id: string,
      patch: MailboxSettingsPatch,
      options: { expectedVersion?: number } = {},
    ): Promise<Mailbox> {
      if (!isUuid(id)) throw mailboxNotFound();
      // Read-merge-write under a row lock, so two admins saving different
      // groups at once both keep their change.
      const row = await db.transaction(async (tx) => {
        const [current] = await tx
          .select()
          .from(mailboxes)
          .where(eq(mailboxes.id, id))
          .for('update');
        if (current === undefined) throw mailboxNotFound();
        if (
          options.expectedVersion !== undefined &&
          current.settingsVersion !== options.expectedVersion
        ) {
          throw new MailroomError(
            'mailbox.version_conflict',
            'Someone else changed this mailbox in the meantime; reload it and try again.',
            {
              kind: 'conflict',
              details: {
                expectedVersion: options.expectedVersion,
                currentVersion: current.settingsVersion,
              },
            },
          );
        }
        const merged: Record<string, unknown> = { ...toSettings(current) };
        for (const [key, value] of Object.entries(patch)) {
          if (value === undefined) continue;
          if (value === null) delete merged[key];
          else merged[key] = value;
        }
        const settings = parseSettings(merged);
        const [updated] = await tx
          .update(mailboxes)
          .set({
            ...settingsColumns(settings),
            settingsVersion: bumpVersion(),
            updatedAt: new Date(),
          })
          .where(eq(mailboxes.id, id))
          .returning();
        return updated!;
      });
      return (await withSecrets([row]))[0]!;
    },

    /** Sets the admin's status and bumps settings_version. Completeness checks belong to the caller. */
    async setStatus(id: string, status: MailboxStatus): Promise<Mailbox> {
      if (!isUuid(id)) throw mailboxNotFound();
      const [row] = await db
        .update(mailboxes)
        .set({ status, settingsVersion: bumpVersion(), updatedAt: new Date() })
        .where(eq(mailboxes.id, id))
        .returning();
      if (row === undefined) throw mailboxNotFound();
      return (await withSecrets([row]))[0]!;
    },

    async remove(id: string): Promise<boolean> {
      if (!isUuid(id)) return false;
      const rows = await db
        .delete(mailboxes)
        .where(eq(mailboxes.id, id))
        .returning({ id: mailboxes.id });
      return rows.length > 0;
    },

    /**
     * Records the worker's view. With `owner`, writes only while that worker
     * still holds the lease, so a worker that lost its mailbox cannot
     * overwrite its successor's report. Returns whether a row was written.
     */
    async updateHealth(
      id: string,
      patch: HealthPatch,
      options: { owner?: string } = {},
    ): Promise<boolean> {
      if (!isUuid(id)) return false;
      const conditions: SQL[] = [eq(mailboxes.id, id)];
      if (options.owner !== undefined) conditions.push(eq(mailboxes.leaseOwner, options.owner));
      const rows = await db
        .update(mailboxes)
        .set({ ...healthColumns(patch), healthUpdatedAt: new Date() })
        .where(and(...conditions))
        .returning({ id: mailboxes.id });
      return rows.length > 0;
    },

    /** Adds to the counters atomically (concurrent increments never lose one). */
    async incrementCounters(id: string, delta: Partial<MailboxCounters>): Promise<void> {
      const set = counterIncrements(delta);
      if (Object.keys(set).length === 0 || !isUuid(id)) return;
      await db.update(mailboxes).set(set).where(eq(mailboxes.id, id));
    },

    requireMailbox,
    setSecrets: secrets.setSecrets,
    secretsPresent: secrets.secretsPresent,
    getSecrets: secrets.getSecrets,
    acquireLeases: leases.acquireLeases,
    heartbeat: leases.heartbeat,
    release: leases.release,
    clearExpiredLeases: leases.clearExpiredLeases,
  };
};

/** Column updates adding `delta` to the counters; shared with ingestDecision. */
export const counterIncrements = (
  delta: Partial<MailboxCounters>,
): Partial<Record<keyof MailboxRow, SQL>> => {
  const columns = {
    seen: mailboxes.countSeen,
    created: mailboxes.countCreated,
    appended: mailboxes.countAppended,
    skipped: mailboxes.countSkipped,
    quarantined: mailboxes.countQuarantined,
  } as const;
  const keys = {
    seen: 'countSeen',
    created: 'countCreated',
    appended: 'countAppended',
    skipped: 'countSkipped',
    quarantined: 'countQuarantined',
  } as const;
  const set: Partial<Record<keyof MailboxRow, SQL>> = {};
  for (const counter of Object.keys(columns) as Array<keyof MailboxCounters>) {
    const amount = delta[counter];
    if (amount !== undefined && amount !== 0)
      set[keys[counter]] = sql`${columns[counter]} + ${amount}`;
  }
  return set;
};

export type MailboxesRepository = ReturnType<typeof createMailboxesRepository>;
