/**
 * The setup most scenarios share: per `describe.each(engines)` block, a private Dovecot and a
 * migrated database of that engine (started together in `beforeAll`), the repositories on it,
 * and a slot for the engine the test starts. The engine is stopped after each test
 * (`stopAfterEach`) or once after all of them; then the database is closed and Dovecot stopped.
 * With `logs`, the captured log lines are printed at the end when INGEST_TEST_LOGS=1.
 */
import type { Database, Repositories } from '@mailroom/db';
import { startDovecot, type Dovecot } from '@mailroom/testkit';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { IngestEngine } from '../../src/index';
import type { Engine } from './engines';
import { repositoriesFor, type LogCapture } from './fixtures';

export interface EngineHarness {
  dovecot: Dovecot;
  database: Database;
  repositories: Repositories;
  /** The engine under test; the harness stops it. */
  running: IngestEngine | null;
}

export const useEngineHarness = (
  engine: Engine,
  options: { logs?: LogCapture; stopAfterEach?: boolean } = {},
): EngineHarness => {
  const h = { running: null } as EngineHarness;

  beforeAll(async () => {
    [h.dovecot, h.database] = await Promise.all([startDovecot(), engine.openMigrated()]);
    h.repositories = repositoriesFor(h.database);
  });
  if (options.stopAfterEach === true) {
    afterEach(async () => {
      await h.running?.stop();
      h.running = null;
    });
  }
  afterAll(async () => {
    if (options.logs !== undefined && process.env.INGEST_TEST_LOGS === '1') {
      console.log(options.logs.lines.join(''));
    }
    await h.running?.stop();
    await h.database?.close();
    await h.dovecot?.stop();
  });
  return h;
};
