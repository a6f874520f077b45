/**
 * Entry point of the worker process (`pnpm mailroom worker`, or `tsx
 * src/main.ts`). Validates config, opens the database, starts the worker,
 * and on SIGTERM/SIGINT stops it and exits 0 — or 1 if stopping takes longer
 * than MAILROOM_WORKER_SHUTDOWN_TIMEOUT_SECONDS. An unhandled rejection is
 * logged and ends the process with 1, never swallowed.
 */
import { join } from 'node:path';
import { createDatabase, createRepositories, createSecretBox } from '@mailroom/db';
import { createIngestEngine } from '@mailroom/ingest';
import { ConfigError, loadWorkerConfig, type WorkerConfig } from './config';
import { createLogger } from './logger';
import { startWorker, type RunningWorker } from './worker';

function loadConfigOrExit(): WorkerConfig {
  try {
    return loadWorkerConfig(process.env, { cwd: process.cwd(), pid: process.pid });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\nSee docs/configuration.md.\n`);
    process.exit(78);
  }
}

const config = loadConfigOrExit();
const logger = createLogger({
  level: config.logLevel,
  destination: process.stdout,
  base: { service: 'worker', workerId: config.workerId },
});

const started: Promise<RunningWorker | null> = (async () => {
  const database = config.databaseUrl
    ? await createDatabase({ url: config.databaseUrl })
    : await createDatabase({ dataDir: join(config.dataDir, 'pglite') });
  try {
    const repositories = createRepositories({
      db: database.db,
      secretBox: createSecretBox({ masterKey: config.secretKey }),
    });
    const worker = await startWorker({
      config,
      logger,
      database,
      createEngine: (observer) =>
        createIngestEngine({
          database,
          repositories,
          workerId: config.workerId,
          logger,
          observer,
        }),
    });
    logger.info('worker started');
    return worker;
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
})().catch((error: unknown) => {
  logger.fatal({ err: error }, 'worker failed to start');
  void shutdown('start-up failed', 1);
  return null;
});

let shuttingDown = false;

async function shutdown(reason: string, exitCode: number): Promise<void> {
  if (shuttingDown) {
    logger.warn({ reason }, 'already shutting down');
    return;
  }
  shuttingDown = true;
  logger.info({ reason }, 'shutting down');
  const timer = setTimeout(() => {
    logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out');
    process.exit(1);
  }, config.shutdownTimeoutMs);
  timer.unref();
  try {
    // A signal during start-up waits for the start to finish, then stops cleanly.
    const worker = await started;
    await worker?.stop();
    logger.info('stopped');
  } catch (error) {
    logger.error({ err: error }, 'error while stopping');
    exitCode = 1;
  }
  process.exit(exitCode);
}

process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
process.on('SIGINT', () => void shutdown('SIGINT', 0));
process.on('unhandledRejection', (reason) => {
  logger.fatal({ err: reason }, 'unhandled rejection');
  void shutdown('unhandled rejection', 1);
});
