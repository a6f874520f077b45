/**
 * One worker process's lifetime: open the database, expose health and
 * metrics, and (later) run the ingestion engine; stop() undoes it in reverse.
 * It does no work of its own: until @mailroom/ingest exports an engine, a
 * worker is a healthy process that reads no mail, and it says so in its log.
 */
import type { Database } from '@mailroom/db';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { WorkerConfig } from './config';
import { startHealthServer } from './health-server';
import type { Logger } from './logger';

/** The seam for @mailroom/ingest's engine; nothing implements it yet. */
export interface WorkerEngine {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface WorkerDeps {
  config: WorkerConfig;
  logger: Logger;
  database: Database;
  engine?: WorkerEngine | null;
}

export interface RunningWorker {
  healthUrl: string;
  stop(): Promise<void>;
}

export async function startWorker({
  config,
  logger,
  database,
  engine = null,
}: WorkerDeps): Promise<RunningWorker> {
  // A registry per worker instance, never prom-client's global one.
  const registry = new Registry();
  registry.setDefaultLabels({ worker_id: config.workerId });
  collectDefaultMetrics({ register: registry, prefix: 'mailroom_worker_' });
  new Gauge({
    name: 'mailroom_worker_engine_running',
    help: '1 when this worker runs the ingestion engine, 0 when it reads no mail',
    registers: [registry],
  }).set(engine ? 1 : 0);

  await database.ping();
  if (!(await database.migrationsApplied())) {
    logger.warn(
      'database migrations are not applied; /readyz answers 503 until `mailroom migrate` runs',
    );
  }

  const health = await startHealthServer({
    host: config.health.host,
    port: config.health.port,
    workerId: config.workerId,
    database,
    registry,
  });
  logger.info({ url: health.url }, 'health endpoint listening');

  if (engine) await engine.start();
  else logger.warn('no ingestion engine in this build: this worker reads no mail');

  let stopping: Promise<void> | null = null;
  return {
    healthUrl: health.url,
    stop() {
      stopping ??= (async () => {
        await engine?.stop();
        await health.close();
        await database.close();
      })();
      return stopping;
    },
  };
}
