export {
  startPostgres,
  createDatabaseAt,
  dropDatabaseAt,
  databaseUrl,
  randomDatabaseName,
  postgresBinDir,
} from './postgres';
export type { PostgresCluster, StartPostgresOptions, CreateDatabaseOptions } from './postgres';
export {
  freshPostgresDatabase,
  dropPostgresDatabase,
  sharedPostgresAdminUrl,
  POSTGRES_ADMIN_URL_ENV,
} from './postgres-shared';
export { createGlobalSetup } from './global-setup';
export type { GlobalSetup, GlobalSetupOptions } from './global-setup';
