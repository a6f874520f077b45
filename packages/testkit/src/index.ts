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
export { startDovecot } from './dovecot';
export type {
  Dovecot,
  StartDovecotOptions,
  TlsMode,
  BulkMail,
  MessageFlagsInput,
  FolderStatus,
  StoredMessage,
  LoginRecord,
} from './dovecot';
export {
  createSelfSignedCertificate,
  createCertificateAuthority,
  loadCertificateAuthority,
  issueServerCertificate,
} from './tls';
export type { CertificateFiles, CertificateAuthority } from './tls';
