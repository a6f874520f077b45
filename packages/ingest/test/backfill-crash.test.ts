/**
 * Exactly once through crashes: a 2,000-mail backfill run by a worker child
 * process that is killed with SIGKILL — once at a random point, once while a
 * batch of post-actions (moves) is in flight — then resumed by a new worker,
 * ends with exactly 2,000 ledger rows, one per mail, every ticket message
 * once, and every mail moved out of the inbox. Runs on PostgreSQL and on an
 * on-disk PGlite (one process at a time: the parent closes it while a worker
 * child has it open, and reads it again after the last child stopped).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, type Database } from '@mailroom/db';
import {
  freshPostgresDatabase,
  generateMails,
  startDovecot,
  type Dovecot,
} from '@mailroom/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from './support/engines';
import {
  createTestMailbox,
  ledgerCounts,
  repositoriesFor,
  TEST_SECRET_KEY,
} from './support/fixtures';
import type { WorkerChildConfig } from './support/worker-child';
import { spawnWorker, type WorkerProcess } from './support/worker-process';

const MAILS = 2000;
const backlog = generateMails('backfill-crash', MAILS, { fromDomains: ['customer.example'] });

interface Target {
  kind: 'postgres' | 'pglite';
  /** Where a worker child opens the database. */
  location(): Promise<Pick<WorkerChildConfig, 'databaseUrl' | 'dataDir'>>;
}

const targets: Target[] = [
  { kind: 'postgres', location: async () => ({ databaseUrl: await freshPostgresDatabase() }) },
  {
    kind: 'pglite',
    location: async () => ({
      dataDir: join(await mkdtemp(join(tmpdir(), 'mailroom-ingest-')), 'pg'),
    }),
  },
];

const open = (location: Pick<WorkerChildConfig, 'databaseUrl' | 'dataDir'>) =>
  createDatabase(
    location.databaseUrl !== undefined
      ? { url: location.databaseUrl }
      : { dataDir: location.dataDir! },
  );

const listening = (worker: WorkerProcess) =>
  worker.waitForEvent(
    (event) =>
      event.type === 'snapshot' &&
      Array.isArray(event.mailboxes) &&
      (event.mailboxes as Array<{ health: { state: string } }>).some(
        (entry) => entry.health.state === 'listening',
      ),
    120_000,
  );

describe.each(targets)('a killed backfill on $kind', (target) => {
  let dovecot: Dovecot;
  const cleanup: string[] = [];

  beforeAll(async () => {
    dovecot = await startDovecot();
  });
  afterAll(async () => {
    await dovecot?.stop();
    for (const dir of cleanup) await rm(dir, { recursive: true, force: true });
  });

  const scenario = async (kill: 'random' | 'post_action') => {
    const location = await target.location();
    if (location.dataDir !== undefined) cleanup.push(join(location.dataDir, '..'));
    let database: Database = await open(location);
    await database.migrate();
    const repositories = repositoriesFor(database);
    const { mailbox, user } = await createTestMailbox(repositories, dovecot, {
      settings: {
        reading: {
          folders: {
            read: ['INBOX'],
            postAction: 'move',
            successFolder: 'Done',
            exclusionFolder: 'Excluded',
            failFolder: 'Failed',
          },
        },
      },
    });
    for (const folder of ['Done', 'Excluded', 'Failed']) await dovecot.createFolder(user, folder);
    await dovecot.bulkLoad(
      user,
      'INBOX',
      backlog.map((mail) => mail.raw),
    );
    if (target.kind === 'pglite') await database.close();

    const threshold = randomInt(200, 1600);
    const config: WorkerChildConfig = {
      ...location,
      secretKeyHex: TEST_SECRET_KEY.toString('hex'),
      workerId: `crash-${randomBytes(3).toString('hex')}`,
      options: { leaseTtlMs: 2000, settingsPollMs: 200, fetchBatchSize: 100 },
      ...(kill === 'post_action' ? { killInPostActionAfter: threshold } : {}),
    };
    const first = spawnWorker(config);
    if (kill === 'random') {
      await first.waitForEvent(
        (event) => event.type === 'message' && Number(event.count) >= threshold,
      );
      first.kill('SIGKILL');
    }
    const ended = await first.exited;
    expect(ended.signal).toBe('SIGKILL');
    const before = first.events.filter((event) => event.type === 'message').length;
    expect(before).toBeGreaterThanOrEqual(threshold);
    expect(before).toBeLessThan(MAILS);

    // A new worker (another id: the dead one's lease must expire first) resumes.
    const second = spawnWorker({
      ...config,
      workerId: `resume-${randomBytes(3).toString('hex')}`,
      killInPostActionAfter: undefined,
    });
    await listening(second);
    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    if (target.kind === 'pglite') database = await open(location);
    try {
      const counts = await ledgerCounts(database, mailbox.id);
      expect(counts.rows).toBe(MAILS);
      expect(counts.positions).toBe(MAILS);
      expect(counts.tickets).toBe(counts.created);
      const [ids] = await queryRows<{ all: string | number; distinct: string | number }>(
        database,
        `select count(message_id) as all, count(distinct message_id) as distinct
           from ingest_ledger where mailbox_id = '${mailbox.id}'`,
      );
      expect(Number(ids!.all)).toBe(MAILS);
      expect(Number(ids!.distinct)).toBe(new Set(backlog.map((mail) => mail.messageId)).size);
      const [messages] = await queryRows<{ all: string | number; distinct: string | number }>(
        database,
        `select count(*) as all, count(distinct m.message_id) as distinct
           from ticket_messages m join tickets t on t.id = m.ticket_id
          where t.mailbox_id = '${mailbox.id}'`,
      );
      expect(Number(messages!.all)).toBe(counts.created + counts.appended);
      expect(Number(messages!.distinct)).toBe(Number(messages!.all));
      const [open] = await queryRows<{ n: string | number }>(
        database,
        `select count(*) as n from ingest_ledger
          where mailbox_id = '${mailbox.id}' and post_action_state <> 'done'`,
      );
      expect(Number(open!.n)).toBe(0);
      const moved = await Promise.all(
        ['INBOX', 'Done', 'Excluded', 'Failed'].map(
          async (folder) => (await dovecot.status(user, folder)).messages,
        ),
      );
      expect(moved[0]).toBe(0);
      expect(moved.reduce((sum, n) => sum + n, 0)).toBe(MAILS);
      expect(moved[1]).toBe(counts.created + counts.appended);
    } finally {
      await database.close();
    }
  };

  it(
    'ends with exactly 2,000 ledger rows after a SIGKILL at a random point',
    () => scenario('random'),
    240_000,
  );

  it(
    'ends with exactly 2,000 ledger rows and every mail moved after a SIGKILL during post-actions',
    () => scenario('post_action'),
    240_000,
  );
});
