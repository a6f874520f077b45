/**
 * The seam where the all-in-one `start` command runs the ingestion engine in
 * its own process, on the same database as the API (the embedded PGlite by
 * default). The engine leases mailboxes like any worker, so a separate
 * `mailroom worker` on the same PostgreSQL shares them safely.
 */
import { hostname } from 'node:os';
import { createRepositories, createSecretBox, type Database } from '@mailroom/db';
import { createIngestEngine } from '@mailroom/ingest';
import type { Logger } from '../app/logger';

export interface IngestionEngine {
  start(): Promise<void>;
  /** Stops taking new work, finishes or abandons in-flight mail safely, releases leases. */
  stop(): Promise<void>;
}

export interface IngestionEngineDeps {
  database: Database;
  secretKey: Buffer;
  logger: Logger;
}

export type CreateIngestionEngine = (deps: IngestionEngineDeps) => IngestionEngine;

export const createIngestionEngine: CreateIngestionEngine = ({ database, secretKey, logger }) =>
  createIngestEngine({
    database,
    repositories: createRepositories({
      db: database.db,
      secretBox: createSecretBox({ masterKey: secretKey }),
    }),
    workerId: `${hostname()}-${process.pid}-start`,
    logger,
  });
