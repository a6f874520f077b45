/**
 * A worker process for the multi-process scenarios (kill -9, several workers):
 * it runs the engine on the database named in its JSON argument and reports
 * on stdout, one JSON line per event (`message`, `snapshot`), so the parent
 * test can decide when to kill it. With `killInPostActionAfter` it SIGKILLs
 * itself just before a post-action batch once that many mails are committed.
 * SIGTERM stops the engine cleanly (drain, release leases) and exits 0.
 */
import { createDatabase, createRepositories, createSecretBox } from '@mailroom/db';
import { pino } from 'pino';
import { createIngestEngine, type IngestEngineOptions } from '../../src/index';

export interface WorkerChildConfig {
  databaseUrl?: string;
  dataDir?: string;
  secretKeyHex: string;
  workerId: string;
  options: Partial<IngestEngineOptions>;
  killInPostActionAfter?: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as WorkerChildConfig;
const emit = (event: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(event)}\n`);

const database = await createDatabase(
  config.databaseUrl !== undefined ? { url: config.databaseUrl } : { dataDir: config.dataDir! },
);
await database.migrate();
const repositories = createRepositories({
  db: database.db,
  secretBox: createSecretBox({ masterKey: Buffer.from(config.secretKeyHex, 'hex') }),
});
let committed = 0;
const engine = createIngestEngine({
  database,
  repositories,
  workerId: config.workerId,
  logger: pino({ level: 'warn' }, process.stderr),
  options: config.options,
  observer: {
    message: (mailboxId, outcome, duplicate) => {
      committed += 1;
      emit({ type: 'message', mailboxId, outcome, duplicate, count: committed });
    },
    postActions: () => {
      const limit = config.killInPostActionAfter;
      if (limit !== undefined && committed >= limit) {
        emit({ type: 'killing', count: committed });
        process.kill(process.pid, 'SIGKILL');
      }
    },
  },
});
await engine.start();
emit({ type: 'started', pid: process.pid });
const ticker = setInterval(() => {
  emit({ type: 'snapshot', ...engine.snapshot() });
}, 100);

process.once('SIGTERM', () => {
  clearInterval(ticker);
  void (async () => {
    await engine.stop();
    await database.close();
    emit({ type: 'stopped' });
    process.exit(0);
  })();
});
