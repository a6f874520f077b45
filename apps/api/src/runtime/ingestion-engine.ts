/**
 * The seam where the all-in-one `start` command runs the ingestion engine in
 * its own process. `@mailroom/ingest` does not export an engine yet, so
 * nothing is wired: `start` serves the API and admin app and says plainly
 * that no mail is being read. When the engine lands, construct it in
 * `createIngestionEngine` below; nothing else has to change.
 */
import type { Database } from '@mailroom/db';
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

/** null until @mailroom/ingest exports an engine. */
export const createIngestionEngine: CreateIngestionEngine | null = null;
