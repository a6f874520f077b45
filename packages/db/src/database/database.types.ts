import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/**
 * What every repository takes: a drizzle database or transaction on either
 * engine. Repositories use the query builder only, so one code path serves
 * PGlite and PostgreSQL alike.
 */
export type Db = PgDatabase<PgQueryResultHKT>;

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DatabaseKind;
  /** Applies every pending migration; safe to call on every start and from several processes. */
  migrate(): Promise<void>;
  /** Throws when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  /** True when the newest migration shipped in this package has been applied. */
  migrationsApplied(): Promise<boolean>;
  close(): Promise<void>;
}
