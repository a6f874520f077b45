/**
 * The one place that knows about drivers. Without a URL it opens PGlite (in a
 * data folder, or in memory for tests); with `postgres://` it opens a
 * postgres.js pool. Both run the same drizzle-kit migrations through drizzle's
 * migrator for that driver. Config is passed in: this module reads no env.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { MailroomError } from '@mailroom/domain';
import { desc } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { bigint, pgSchema, serial, text } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { lockDataDir } from './data-dir-lock';
import type { Database, Db } from './database.types';

export interface CreateDatabaseOptions {
  /** `postgres://` or `postgresql://`; without it PGlite is used. */
  url?: string;
  /** PGlite data folder (created if missing). Ignored with `url`. */
  dataDir?: string;
  /** PGlite in memory; for tests. */
  memory?: boolean;
  /**
   * PGlite only: start from a data folder dump (see `createPgliteSnapshot`)
   * instead of running initdb; opens in about 1 s instead of 5. For tests.
   */
  pgliteSnapshot?: Blob;
  /** postgres.js pool size; default 10. */
  maxConnections?: number;
  /** Where the generated SQL lives; defaults to this package's `drizzle/`. */
  migrationsFolder?: string;
}

const defaultMigrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** The bookkeeping table drizzle's migrator writes; read to answer `migrationsApplied()`. */
const drizzleMigrations = pgSchema('drizzle').table('__drizzle_migrations', {
  id: serial('id').primaryKey(),
  hash: text('hash').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }),
});

/** Arbitrary but fixed: serializes migrations of several processes on one PostgreSQL. */
const migrationLockKey = 7_263_001;

export const createDatabase = async (options: CreateDatabaseOptions = {}): Promise<Database> => {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder;
  if (options.url !== undefined && options.url !== '') {
    if (!/^postgres(ql)?:\/\//.test(options.url)) {
      throw new MailroomError(
        'db.unsupported_url',
        'The database URL must start with postgres:// or postgresql://.',
        { kind: 'invalid' },
      );
    }
    return openPostgres(options.url, migrationsFolder, options.maxConnections ?? 10);
  }
  if (options.memory !== true && (options.dataDir === undefined || options.dataDir === '')) {
    throw new MailroomError(
      'db.no_location',
      'Give a PostgreSQL URL, a data folder for the embedded database, or memory: true.',
      { kind: 'invalid' },
    );
  }
  return openPglite(
    options.memory === true ? undefined : options.dataDir,
    migrationsFolder,
    options.pgliteSnapshot,
  );
};

/**
 * A dump of a freshly migrated in-memory PGlite, to hand to many
 * `createDatabase({ memory: true, pgliteSnapshot })` calls (e.g. once per test run).
 */
export const createPgliteSnapshot = async (
  options: { migrationsFolder?: string } = {},
): Promise<Blob> => {
  const client = await PGlite.create();
  try {
    await migratePglite(drizzlePglite({ client }), {
      migrationsFolder: options.migrationsFolder ?? defaultMigrationsFolder,
    });
    return await client.dumpDataDir('none');
  } finally {
    await client.close();
  }
};

const lastShippedMigration = (migrationsFolder: string): number | null => {
  const migrations = readMigrationFiles({ migrationsFolder });
  const last = migrations[migrations.length - 1];
  return last === undefined ? null : last.folderMillis;
};

const checkMigrationsApplied = async (db: Db, migrationsFolder: string): Promise<boolean> => {
  const shipped = lastShippedMigration(migrationsFolder);
  if (shipped === null) return true;
  try {
    const rows = await db
      .select({ createdAt: drizzleMigrations.createdAt })
      .from(drizzleMigrations)
      .orderBy(desc(drizzleMigrations.createdAt))
      .limit(1);
    const applied = rows[0]?.createdAt ?? null;
    return applied !== null && applied >= shipped;
  } catch {
    // No bookkeeping table yet: nothing was ever migrated.
    return false;
  }
};

const openPglite = async (
  dataDir: string | undefined,
  migrationsFolder: string,
  snapshot: Blob | undefined,
): Promise<Database> => {
  let unlock = (): void => {};
  if (dataDir !== undefined) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  let client: PGlite;
  try {
    client = await PGlite.create({
      ...(dataDir === undefined ? {} : { dataDir }),
      ...(snapshot === undefined ? {} : { loadDataDir: snapshot }),
    });
  } catch (error) {
    unlock();
    throw error;
  }
  const db = drizzlePglite({ client });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    migrate: () => migratePglite(db, { migrationsFolder }),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    migrationsApplied: () => checkMigrationsApplied(db as unknown as Db, migrationsFolder),
    close: async () => {
      if (!client.closed) await client.close();
      unlock();
    },
  };
};

const openPostgres = async (
  url: string,
  migrationsFolder: string,
  maxConnections: number,
): Promise<Database> => {
  const client = postgres(url, {
    max: Math.max(2, maxConnections),
    // The migrator's CREATE ... IF NOT EXISTS would otherwise print NOTICEs.
    onnotice: () => {},
  });
  const db = drizzlePostgres({ client });
  return {
    db: db as unknown as Db,
    kind: 'postgres',
    migrate: async () => {
      // drizzle's migrator takes no lock; a session-level advisory lock held on
      // a reserved connection makes concurrent starts wait for each other.
      const lock = await client.reserve();
      try {
        await lock`select pg_advisory_lock(${migrationLockKey})`;
        await migratePostgres(db, { migrationsFolder });
      } finally {
        await lock`select pg_advisory_unlock(${migrationLockKey})`.catch(() => undefined);
        lock.release();
      }
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    migrationsApplied: () => checkMigrationsApplied(db as unknown as Db, migrationsFolder),
    close: async () => {
      await client.end({ timeout: 5 });
    },
  };
};
