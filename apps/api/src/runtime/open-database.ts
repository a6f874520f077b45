/**
 * Opens the database the config points at: PostgreSQL with DATABASE_URL,
 * otherwise embedded PGlite in `<dataDir>/pglite`. Every command that touches
 * the database comes through here so they all agree on the location.
 */
import { join } from 'node:path';
import { createDatabase, type Database } from '@mailroom/db';
import type { ApiConfig } from '../config/load-config';

export const embeddedDatabaseDir = (dataDir: string): string => join(dataDir, 'pglite');

export function openDatabase(
  config: Pick<ApiConfig, 'databaseUrl' | 'dataDir'>,
): Promise<Database> {
  return config.databaseUrl
    ? createDatabase({ url: config.databaseUrl })
    : createDatabase({ dataDir: embeddedDatabaseDir(config.dataDir) });
}

/** Where the data lives, for humans; never includes credentials. */
export function describeDatabase(config: Pick<ApiConfig, 'databaseUrl' | 'dataDir'>): string {
  if (!config.databaseUrl) return `embedded PGlite in ${embeddedDatabaseDir(config.dataDir)}`;
  const url = new URL(config.databaseUrl);
  return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}
