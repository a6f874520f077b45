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
export {
  generateMail,
  generateMails,
  referenceTo,
  DEFAULT_MAIL_MIX,
  MAIL_KINDS,
} from './mail-generator';
export type {
  MailKind,
  MailReference,
  GenerateMailOptions,
  GenerateMailsOptions,
  GeneratedMail,
  GeneratedAttachment,
} from './mail-generator';
export { createRandom } from './prng';
export type { Random } from './prng';
export { startSmtpSink } from './smtp-sink';
export type {
  SmtpSink,
  StartSmtpSinkOptions,
  ReceivedMessage,
  SmtpAuthAttempt,
  SmtpStage,
} from './smtp-sink';
export { startEntraFake, TEST_CA_DIR_ENV } from './entra-fake';
export type {
  EntraFake,
  EntraApp,
  StartEntraFakeOptions,
  EntraRequestRecord,
  EntraErrorSpec,
  MsalAuthorityConfig,
} from './entra-fake';
