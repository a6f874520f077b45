/*
 * Once per test run: the testkit's throwaway PostgreSQL cluster, and a dump of a
 * freshly migrated PGlite that every test file loads instead of running initdb
 * (about 1 s per file instead of 5). The migration test itself starts from scratch.
 */
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createGlobalSetup } from '@mailroom/testkit';
import type { TestProject } from 'vitest/node';
import { createPgliteSnapshot } from '../src/index';

export const PGLITE_SNAPSHOT_ENV = 'MAILROOM_TEST_PGLITE_SNAPSHOT';

const withPostgres = createGlobalSetup({ postgres: true });

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const snapshotPath = join(tmpdir(), `mailroom-db-snapshot-${randomBytes(6).toString('hex')}.tar`);
  const [stopPostgres, snapshot] = await Promise.all([
    withPostgres(project),
    createPgliteSnapshot(),
  ]);
  await writeFile(snapshotPath, Buffer.from(await snapshot.arrayBuffer()));
  process.env[PGLITE_SNAPSHOT_ENV] = snapshotPath;
  return async () => {
    delete process.env[PGLITE_SNAPSHOT_ENV];
    await rm(snapshotPath, { force: true });
    await stopPostgres();
  };
}
