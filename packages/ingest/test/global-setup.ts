/*
 * Once per test run: the testkit's throwaway PostgreSQL cluster (and test CA),
 * plus a dump of a freshly migrated PGlite that every test file loads instead
 * of running initdb and the migrations again.
 */
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPgliteSnapshot } from '@mailroom/db';
import { createGlobalSetup } from '@mailroom/testkit';
import type { TestProject } from 'vitest/node';

const services = createGlobalSetup({ postgres: true });

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const snapshotPath = join(
    tmpdir(),
    `mailroom-ingest-pglite-${randomBytes(6).toString('hex')}.tar`,
  );
  const [stopServices, snapshot] = await Promise.all([services(project), createPgliteSnapshot()]);
  await writeFile(snapshotPath, Buffer.from(await snapshot.arrayBuffer()));
  process.env.MAILROOM_TEST_PGLITE_SNAPSHOT = snapshotPath;
  return async () => {
    delete process.env.MAILROOM_TEST_PGLITE_SNAPSHOT;
    await rm(snapshotPath, { force: true });
    await stopServices();
  };
}
