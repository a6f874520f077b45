/**
 * One worker process's lifetime: open the database, expose health and
 * metrics, and run the ingestion engine; stop() undoes it in reverse — the
 * engine drains in-flight mail, closes its IMAP sessions and releases its
 * leases before the database closes.
 */
import type { Database } from '@mailroom/db';
import type { EngineObserver, EngineSnapshot } from '@mailroom/ingest';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { WorkerConfig } from './config';
import { startHealthServer } from './health-server';
import { createIngestMetrics } from './ingest-metrics';
import type { Logger } from './logger';

/** What the worker needs of @mailroom/ingest's engine. */
export interface WorkerEngine {
  start(): Promise<void>;
  stop(): Promise<void>;
  snapshot?(): EngineSnapshot;
}

export interface WorkerDeps {
  config: WorkerConfig;
  logger: Logger;
  database: Database;
  /** Builds the engine, reporting to the worker's metrics through `observer`; null: read no mail. */
  createEngine?: ((observer: EngineObserver) => WorkerEngine) | null;
}

export interface RunningWorker {
  healthUrl: string;
  stop(): Promise<void>;
}

export async function startWorker({
  config,
  logger,
  database,
  createEngine = null,
}: WorkerDeps): Promise<RunningWorker> {
  // A registry per worker instance, never prom-client's global one.
  const registry = new Registry();
  registry.setDefaultLabels({ worker_id: config.workerId });
  collectDefaultMetrics({ register: registry, prefix: 'mailroom_worker_' });
  let engine: WorkerEngine | null = null;
  const observer = createIngestMetrics(registry, () => engine?.snapshot?.() ?? null);
  engine = createEngine ? createEngine(observer) : null;
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
