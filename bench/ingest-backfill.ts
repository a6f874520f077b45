/**
 * Backfill benchmark: how many mails per second the ingestion engine turns
 * into ledger rows and tickets when a mailbox starts with a backlog (the
 * private Dovecot, plaintext loopback, post-action mark_seen), and the peak
 * resident memory of the process meanwhile, on PGlite (on disk, like the
 * embedded mode) and PostgreSQL. Writes bench/results/ingest-backfill.json;
 * it is not a test and asserts nothing. The machine is noisy: compare code
 * versions back to back in one session (run the old commit from a git
 * worktree), and keep each run's commit id with its figures.
 *
 *   pnpm exec tsx bench/ingest-backfill.ts [--mails 10000] [--engines pglite,postgres] [--label after]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Logger } from 'pino';
import {
  createDatabase,
  createRepositories,
  createSecretBox,
  type Database,
} from '../packages/db/src/index';
import { createIngestEngine } from '../packages/ingest/src/index';
import { generateMails, startDovecot, startPostgres } from '../packages/testkit/src/index';

const here = dirname(fileURLToPath(import.meta.url));
// pino is the ingest package's dependency, not the workspace root's: resolve it from there.
const { pino } = createRequire(join(here, '../packages/ingest/package.json'))('pino') as {
  pino: (options: { level: string }) => Logger;
};
const { values } = parseArgs({
  options: {
    mails: { type: 'string', default: '10000' },
    engines: { type: 'string', default: 'pglite,postgres' },
    out: { type: 'string', default: join(here, 'results/ingest-backfill.json') },
    label: { type: 'string', default: 'current' },
  },
});
const count = Math.max(1, Number(values.mails));
const commitOf = (): string | null => {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: here }).toString();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages', 'bench'], {
      cwd: join(here, '..'),
    }).toString();
    return `${head.trim()}${dirty.trim() === '' ? '' : ' (+ uncommitted changes)'}`;
  } catch {
    return null;
  }
};
const kinds = values.engines.split(',').filter((kind) => kind === 'pglite' || kind === 'postgres');

const generatedAt = Date.now();
const mails = generateMails('bench-backfill', count);
const generateMs = Date.now() - generatedAt;
const totalBytes = mails.reduce((sum, mail) => sum + mail.raw.length, 0);

interface Run {
  engine: string;
  mails: number;
  seconds: number;
  mailsPerSecond: number;
  peakRssMb: number;
  rssBeforeMb: number;
  outcomes: Record<string, number>;
}

const countRows = async (
  database: Database,
  mailboxId: string,
): Promise<Record<string, number>> => {
  const result = (await database.db.execute(
    `select outcome, count(*) as n from ingest_ledger where mailbox_id = '${mailboxId}' group by outcome`,
  )) as unknown;
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Array<{
    outcome: string;
    n: string | number;
  }>;
  return Object.fromEntries(rows.map((row) => [row.outcome, Number(row.n)]));
};

const runOnce = async (kind: string): Promise<Run> => {
  const dovecot = await startDovecot();
  const postgres = kind === 'postgres' ? await startPostgres() : null;
  const dataDir = kind === 'pglite' ? mkdtempSync(join(tmpdir(), 'mailroom-bench-')) : null;
  const database = postgres
    ? await createDatabase({ url: await postgres.createDatabase() })
    : await createDatabase({ dataDir: join(dataDir!, 'pg') });
  try {
    await database.migrate();
    const repositories = createRepositories({
      db: database.db,
      secretBox: createSecretBox({ masterKey: randomBytes(32) }),
    });
    const user = 'bench';
    await dovecot.addUser(user, 'bench-password');
    await dovecot.bulkLoad(
      user,
      'INBOX',
      mails.map((mail) => mail.raw),
    );
    const tenant = await repositories.tenants.create({ slug: 'bench', name: 'Bench' });
    const mailbox = await repositories.mailboxes.create({
      tenantId: tenant.id,
      settings: {
        name: 'Bench',
        connection: {
          host: dovecot.host,
          port: dovecot.imapPort,
          tls: 'none',
          username: user,
          replyTo: 'support@mailroom.test',
          authType: 'password',
        },
        policy: {},
        reading: { folders: { read: ['INBOX'], postAction: 'mark_seen' } },
      },
    });
    await repositories.mailboxes.setSecrets(mailbox.id, { password: 'bench-password' });
    await repositories.mailboxes.setStatus(mailbox.id, 'active');

    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    let committed = 0;
    let resolveDone = () => {};
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const engine = createIngestEngine({
      database,
      repositories,
      workerId: 'bench',
      logger: pino({ level: 'warn' }),
      options: { settingsPollMs: 500 },
      observer: {
        message: () => {
          committed += 1;
          if (committed === count) resolveDone();
        },
      },
    });
    const started = Date.now();
    await engine.start();
    await done;
    const seconds = (Date.now() - started) / 1000;
    clearInterval(sampler);
    await engine.stop();
    return {
      engine: kind,
      mails: count,
      seconds: Number(seconds.toFixed(2)),
      mailsPerSecond: Math.round(count / seconds),
      peakRssMb: Math.round(peakRss / 1024 / 1024),
      rssBeforeMb: Math.round(rssBefore / 1024 / 1024),
      outcomes: await countRows(database, mailbox.id),
    };
  } finally {
    await database.close();
    await postgres?.stop();
    await dovecot.stop();
    if (dataDir !== null) rmSync(dataDir, { recursive: true, force: true });
  }
};

const runs: Run[] = [];
for (const kind of kinds) {
  const run = await runOnce(kind);
  console.log(
    `${kind}: ${run.mails} mails in ${run.seconds} s = ${run.mailsPerSecond} mails/s, peak RSS ${run.peakRssMb} MB`,
  );
  runs.push(run);
}
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(
  values.out,
  `${JSON.stringify(
    {
      benchmark: 'ingest-backfill',
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? null,
      label: values.label,
      commit: commitOf(),
      mails: count,
      totalMb: Number((totalBytes / 1024 / 1024).toFixed(1)),
      generateMs,
      setup:
        'private Dovecot, plaintext loopback IMAP, post-action mark_seen, default engine options',
      runs,
    },
    null,
    2,
  )}\n`,
);
process.exit(0);
