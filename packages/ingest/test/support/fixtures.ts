/**
 * Test data and helpers shared by the scenarios: a tenant with a mailbox that
 * points at the private Dovecot (plaintext on loopback), engines with shortened
 * lease / poll / backoff times, a log capture, and bounded polling.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import {
  createRepositories,
  createSecretBox,
  type Database,
  type Mailbox,
  type Repositories,
} from '@mailroom/db';
import type { MailboxSettingsInput } from '@mailroom/domain';
import type { Dovecot } from '@mailroom/testkit';
import { pino, type Logger } from 'pino';
import {
  createIngestEngine,
  type CreateIngestEngineInput,
  type IngestEngine,
  type IngestEngineOptions,
} from '../../src/index';
import { queryRows } from './engines';

export const TEST_SECRET_KEY = randomBytes(32);

export const repositoriesFor = (database: Database): Repositories =>
  createRepositories({
    db: database.db,
    secretBox: createSecretBox({ masterKey: TEST_SECRET_KEY }),
  });

export interface TestMailbox {
  mailbox: Mailbox;
  user: string;
  password: string;
  tenantId: string;
}

export const createTestMailbox = async (
  repositories: Repositories,
  dovecot: Dovecot,
  overrides: {
    user?: string;
    status?: 'draft' | 'active' | 'paused';
    settings?: Partial<MailboxSettingsInput>;
    tenantId?: string;
  } = {},
): Promise<TestMailbox> => {
  const user = overrides.user ?? `u${randomBytes(4).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  await dovecot.addUser(user, password);
  const tenantId =
    overrides.tenantId ??
    (
      await repositories.tenants.create({
        slug: `t-${randomBytes(5).toString('hex')}`,
        name: 'Acme',
      })
    ).id;
  const created = await repositories.mailboxes.create({
    tenantId,
    settings: {
      name: `Support ${user}`,
      connection: {
        host: dovecot.host,
        port: dovecot.imapPort,
        tls: 'none',
        username: user,
        replyTo: 'support@mailroom.test',
        authType: 'password',
        connectionTimeoutMs: 3000,
      },
      policy: { maxTries: 3, coolOffMinutes: 0.05 },
      reading: { folders: { read: ['INBOX'], postAction: 'mark_seen' } },
      ...overrides.settings,
    },
  });
  await repositories.mailboxes.setSecrets(created.id, { password });
  const status = overrides.status ?? 'active';
  const mailbox =
    status === 'draft' ? created : await repositories.mailboxes.setStatus(created.id, status);
  return { mailbox, user, password, tenantId };
};

export interface LogCapture {
  logger: Logger;
  lines: string[];
}

export const captureLogs = (level: pino.Level = 'debug'): LogCapture => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { logger: pino({ level }, stream), lines };
};

export const fastOptions: Partial<IngestEngineOptions> = {
  leaseTtlMs: 3000,
  settingsPollMs: 250,
  retryDelayScale: 0.05,
  idleTimeoutMs: 60_000,
};

export const startEngine = async (
  database: Database,
  repositories: Repositories,
  options: {
    workerId?: string;
    logger?: Logger;
    engine?: Partial<IngestEngineOptions>;
    extra?: Partial<CreateIngestEngineInput>;
  } = {},
): Promise<IngestEngine> => {
  const engine = createIngestEngine({
    ...options.extra,
    database,
    repositories,
    workerId: options.workerId ?? `test-${randomBytes(3).toString('hex')}`,
    logger: options.logger ?? pino({ level: 'silent' }),
    options: { ...fastOptions, ...options.engine },
  });
  await engine.start();
  return engine;
};

/** Polls `probe` until it returns a value that is not undefined/false, or fails after `timeoutMs`. */
export const waitFor = async <T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
  intervalMs = 25,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
  );
};

export interface LedgerCounts {
  rows: number;
  positions: number;
  created: number;
  appended: number;
  skipped: number;
  quarantined: number;
  tooLarge: number;
  tickets: number;
}

export const ledgerCounts = async (
  database: Database,
  mailboxId: string,
): Promise<LedgerCounts> => {
  const [row] = await queryRows<Record<string, string | number>>(
    database,
    `select count(*) as rows,
            count(distinct (folder, uid_validity, uid)) as positions,
            count(*) filter (where outcome = 'created') as created,
            count(*) filter (where outcome = 'appended') as appended,
            count(*) filter (where outcome = 'skipped') as skipped,
            count(*) filter (where outcome = 'quarantined') as quarantined,
            count(*) filter (where outcome = 'too_large') as too_large,
            (select count(*) from tickets where mailbox_id = '${mailboxId}') as tickets
       from ingest_ledger where mailbox_id = '${mailboxId}'`,
  );
  const n = (key: string) => Number(row?.[key] ?? 0);
  return {
    rows: n('rows'),
    positions: n('positions'),
    created: n('created'),
    appended: n('appended'),
    skipped: n('skipped'),
    quarantined: n('quarantined'),
    tooLarge: n('too_large'),
    tickets: n('tickets'),
  };
};
