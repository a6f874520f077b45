/**
 * Many workers share mailboxes through leases in PostgreSQL: three worker
 * processes and nine mailboxes — every mailbox has exactly one owner; killing
 * one worker with SIGKILL moves its mailboxes to the others within the lease
 * time; and no mail is ingested twice. PostgreSQL only: the scenario is
 * inherently multi-process, and PGlite is single-process, single-connection.
 */
import { randomBytes } from 'node:crypto';
import { createDatabase, type Database, type Repositories } from '@mailroom/db';
import { freshPostgresDatabase, generateMail, startDovecot, type Dovecot } from '@mailroom/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from './support/engines';
import {
  createTestMailbox,
  repositoriesFor,
  TEST_SECRET_KEY,
  waitFor,
  type TestMailbox,
} from './support/fixtures';
import { spawnWorker, type WorkerEvent, type WorkerProcess } from './support/worker-process';

const LEASE_TTL_MS = 2000;
const POLL_MS = 200;

const latestSnapshot = (worker: WorkerProcess): string[] => {
  const snapshot = [...worker.events].reverse().find((event) => event.type === 'snapshot') as
    (WorkerEvent & { mailboxes: Array<{ mailboxId: string }> }) | undefined;
  return snapshot?.mailboxes.map((entry) => entry.mailboxId) ?? [];
};

describe('three workers on PostgreSQL', () => {
  let dovecot: Dovecot;
  let database: Database;
  let repositories: Repositories;
  let url: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    url = await freshPostgresDatabase();
    [dovecot, database] = await Promise.all([startDovecot(), createDatabase({ url })]);
    await database.migrate();
    repositories = repositoriesFor(database);
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map((worker) => worker.exited));
    await database?.close();
    await dovecot?.stop();
  });

  const ledgerTotals = async () => {
    const [row] = await queryRows<Record<string, string | number>>(
      database,
      `select count(*) as rows, count(distinct (mailbox_id, folder, uid_validity, uid)) as positions,
              count(distinct (mailbox_id, message_id)) as messages from ingest_ledger`,
    );
    return {
      rows: Number(row!.rows),
      positions: Number(row!.positions),
      messages: Number(row!.messages),
    };
  };

  it('gives every mailbox one owner, moves a killed worker’s mailboxes within the lease time, and ingests nothing twice', async () => {
    const tenant = await repositories.tenants.create({
      slug: `t-${randomBytes(4).toString('hex')}`,
      name: 'Acme',
    });
    const mailboxes: TestMailbox[] = [];
    for (let index = 0; index < 9; index += 1) {
      const created = await createTestMailbox(repositories, dovecot, { tenantId: tenant.id });
      await dovecot.bulkLoad(
        created.user,
        'INBOX',
        [1, 2, 3].map((n) => generateMail(`mw-${index}-${n}`, { kind: 'plain' }).raw),
      );
      mailboxes.push(created);
    }
    const ids = mailboxes.map((entry) => entry.mailbox.id).sort();
    for (let index = 0; index < 3; index += 1) {
      workers.push(
        spawnWorker({
          databaseUrl: url,
          secretKeyHex: TEST_SECRET_KEY.toString('hex'),
          workerId: `worker-${index}`,
          options: { leaseTtlMs: LEASE_TTL_MS, settingsPollMs: POLL_MS, maxMailboxes: 5 },
        }),
      );
    }

    await waitFor('27 ledger rows', async () => (await ledgerTotals()).rows === 27, 60_000);
    await waitFor(
      'every mailbox running',
      async () => {
        const running = workers.flatMap(latestSnapshot).sort();
        return running.length === 9 && JSON.stringify(running) === JSON.stringify(ids);
      },
      20_000,
    );
    // Exactly one owner each, in the database and in the workers' own view.
    const owners = await queryRows<{ id: string; lease_owner: string | null }>(
      database,
      `select id, lease_owner from mailboxes where id in (${ids.map((id) => `'${id}'`).join(',')})`,
    );
    for (const row of owners) {
      const holders = workers.filter((worker) => latestSnapshot(worker).includes(row.id));
      expect(holders).toHaveLength(1);
      expect(row.lease_owner).toBe(`worker-${workers.indexOf(holders[0]!)}`);
    }

    const victim = workers.reduce((most, worker) =>
      latestSnapshot(worker).length > latestSnapshot(most).length ? worker : most,
    );
    const orphaned = latestSnapshot(victim);
    expect(orphaned.length).toBeGreaterThan(0);
    const killedAt = Date.now();
    victim.kill('SIGKILL');
    await victim.exited;
    const survivors = workers.filter((worker) => worker !== victim);
    await waitFor(
      'the orphaned mailboxes to move',
      async () => {
        const rows = await queryRows<{ lease_owner: string | null }>(
          database,
          `select lease_owner from mailboxes where id in (${orphaned.map((id) => `'${id}'`).join(',')})`,
        );
        const alive = new Set(survivors.map((worker) => `worker-${workers.indexOf(worker)}`));
        return rows.every((row) => row.lease_owner !== null && alive.has(row.lease_owner));
      },
      10_000,
      20,
    );
    const movedAfter = Date.now() - killedAt;
    // Takeover happens once the lease expires, at the next heartbeat of a survivor.
    expect(movedAfter).toBeLessThan(LEASE_TTL_MS + 2 * POLL_MS + 500);

    await waitFor(
      'the survivors to run all nine',
      async () => {
        const running = survivors.flatMap(latestSnapshot).sort();
        return JSON.stringify(running) === JSON.stringify(ids);
      },
      10_000,
    );
    await waitFor(
      'every moved mailbox listening',
      async () => {
        const rows = await Promise.all(orphaned.map((id) => repositories.mailboxes.get(id)));
        return rows.every((row) => row?.health.state === 'listening');
      },
      15_000,
    );

    for (const [index, entry] of mailboxes.entries())
      await dovecot.append(
        entry.user,
        'INBOX',
        generateMail(`mw-after-${index}`, { kind: 'plain' }).raw,
      );
    await waitFor('36 ledger rows', async () => (await ledgerTotals()).rows === 36, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const totals = await ledgerTotals();
    expect(totals).toEqual({ rows: 36, positions: 36, messages: 36 });
    const [tickets] = await queryRows<{ n: string | number }>(
      database,
      `select count(*) as n from tickets where tenant_id = '${tenant.id}'`,
    );
    expect(Number(tickets!.n)).toBe(36);
  });
});
