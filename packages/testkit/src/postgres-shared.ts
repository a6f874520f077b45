/*
 * One PostgreSQL cluster per vitest run, one fresh database per test file. The cluster
 * is started by the global setup (see global-setup.ts), which publishes its admin URL
 * in MAILROOM_TEST_PG_ADMIN_URL before the workers fork; a worker without it (a test
 * run without the global setup) starts a private cluster once per process instead.
 * Nothing here reads other environment variables or drops databases it did not create.
 */
import {
  createDatabaseAt,
  dropDatabaseAt,
  startPostgres,
  type CreateDatabaseOptions,
  type PostgresCluster,
} from './postgres';

export const POSTGRES_ADMIN_URL_ENV = 'MAILROOM_TEST_PG_ADMIN_URL';

let processCluster: Promise<PostgresCluster> | undefined;

/** Admin URL of the shared cluster, starting a per-process one when none was provided. */
export async function sharedPostgresAdminUrl(): Promise<string> {
  const fromEnv = process.env[POSTGRES_ADMIN_URL_ENV];
  if (fromEnv) return fromEnv;
  processCluster ??= startPostgres().catch((error: unknown) => {
    processCluster = undefined;
    throw error;
  });
  return (await processCluster).url;
}

/** Creates a new, empty database in the shared cluster and returns its postgres:// URL. */
export async function freshPostgresDatabase(
  options: CreateDatabaseOptions & { name?: string } = {},
): Promise<string> {
  return createDatabaseAt(await sharedPostgresAdminUrl(), options.name, options);
}

/** Drops a database made by freshPostgresDatabase (optional: the cluster dies with the run). */
export async function dropPostgresDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  await dropDatabaseAt(await sharedPostgresAdminUrl(), name);
}
