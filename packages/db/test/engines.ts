/**
 * The two engines every repository test runs on: PGlite in memory and a fresh
 * database in the testkit's throwaway PostgreSQL cluster. If PostgreSQL cannot
 * start, opening it throws and the tests fail; they are never skipped.
 */
import { readFile } from 'node:fs/promises';
import { freshPostgresDatabase } from '@mailroom/testkit';
import { afterAll, beforeAll } from 'vitest';
import { createDatabase, type Database, type DatabaseKind } from '../src/index';

export interface Engine {
  kind: DatabaseKind;
  /** A fresh, empty database: nothing migrated yet. */
  open(): Promise<Database>;
  /** A fresh database with every migration applied (PGlite: from the run's snapshot). */
  openMigrated(): Promise<Database>;
}

const migrated = async (database: Database): Promise<Database> => {
  await database.migrate();
  return database;
};

const pgliteSnapshot = async (): Promise<Blob> => {
  const path = process.env.MAILROOM_TEST_PGLITE_SNAPSHOT;
  if (path === undefined) throw new Error('test/global-setup.ts did not run: no PGlite snapshot');
  return new Blob([await readFile(path)]);
};

export const engines: Engine[] = [
  {
    kind: 'pglite',
    open: () => createDatabase({ memory: true }),
    openMigrated: async () =>
      migrated(await createDatabase({ memory: true, pgliteSnapshot: await pgliteSnapshot() })),
  },
  {
    kind: 'postgres',
    open: async () => createDatabase({ url: await freshPostgresDatabase() }),
    openMigrated: async () =>
      migrated(await createDatabase({ url: await freshPostgresDatabase() })),
  },
];

/** One migrated database for the enclosing describe block, closed afterwards. */
export const useMigratedDatabase = (engine: Engine): (() => Database) => {
  let database: Database | undefined;
  beforeAll(async () => {
    database = await engine.openMigrated();
  });
  afterAll(async () => {
    await database?.close();
  });
  return () => {
    if (database === undefined) throw new Error('database not open yet');
    return database;
  };
};
