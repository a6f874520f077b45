/**
 * The two database engines the scenarios run on: PGlite in memory (from the
 * run's migrated snapshot) and a fresh database in the testkit's PostgreSQL.
 * A service that cannot start makes the tests fail; nothing is skipped.
 */
import { readFile } from 'node:fs/promises';
import { createDatabase, type Database, type DatabaseKind } from '@mailroom/db';
import { freshPostgresDatabase } from '@mailroom/testkit';

export interface Engine {
  kind: DatabaseKind;
  openMigrated(): Promise<Database>;
}

const snapshot = async (): Promise<Blob> => {
  const path = process.env.MAILROOM_TEST_PGLITE_SNAPSHOT;
  if (path === undefined) throw new Error('test/global-setup.ts did not run: no PGlite snapshot');
  return new Blob([await readFile(path)]);
};

export const engines: Engine[] = [
  {
    kind: 'pglite',
    openMigrated: async () => {
      const database = await createDatabase({ memory: true, pgliteSnapshot: await snapshot() });
      await database.migrate();
      return database;
    },
  },
  {
    kind: 'postgres',
    openMigrated: async () => {
      const database = await createDatabase({ url: await freshPostgresDatabase() });
      await database.migrate();
      return database;
    },
  },
];

/** Rows of a raw query on either driver (PGlite returns `{ rows }`, postgres.js an array). */
export const queryRows = async <T = Record<string, unknown>>(
  database: Database,
  text: string,
): Promise<T[]> => {
  const result = (await database.db.execute(text)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
};
