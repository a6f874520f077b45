// The package surface of @mailroom/db. Tables and row helpers stay internal: go through a repository.
export { createDatabase, createPgliteSnapshot } from './database/create-database';
export type { CreateDatabaseOptions } from './database/create-database';
export type { Database, DatabaseKind, Db } from './database/database.types';

export { createRepositories } from './repositories';
export type { Repositories } from './repositories';

export { createTenantsRepository } from './tenants/tenants.repository';
export type { Tenant, TenantsRepository } from './tenants/tenants.repository';

export { hashPassword, verifyPassword } from './users/passwords';
export { createUsersRepository } from './users/users.repository';
export type { CreateUserInput, User, UsersRepository } from './users/users.repository';
export { createSessionsRepository } from './users/sessions.repository';
export type { Session, SessionsRepository } from './users/sessions.repository';

export { createApiKeysRepository } from './api-keys/api-keys.repository';
export type { ApiKey, ApiKeysRepository } from './api-keys/api-keys.repository';

export { createTemplatesRepository } from './templates/templates.repository';
export type { StoredTicketTemplate, TemplatesRepository } from './templates/templates.repository';
export { createTicketTypesRepository } from './ticket-types/ticket-types.repository';
export type { TicketType, TicketTypesRepository } from './ticket-types/ticket-types.repository';
export { createOffersRepository } from './offers/offers.repository';
export type { Offer, OffersRepository } from './offers/offers.repository';

export { createSecretBox, parseMasterKey } from './secrets/secret-box';
export type { MasterKey, SealedSecret, SecretBox } from './secrets/secret-box';

export { createMailboxesRepository } from './mailboxes/mailboxes.repository';
export type { MailboxesRepository, MailboxSettingsPatch } from './mailboxes/mailboxes.repository';
export type {
  HealthPatch,
  Mailbox,
  MailboxLease,
  MailboxSecretName,
  SecretsPresent,
} from './mailboxes/mailboxes.models';
export type { HeldLease } from './mailboxes/mailbox-leases.repository';

export { createCheckpointsRepository } from './checkpoints/checkpoints.repository';
export type {
  BigIntLike,
  CheckpointInput,
  CheckpointsRepository,
  FolderCheckpoint,
} from './checkpoints/checkpoints.repository';

export { createLedgerRepository } from './ledger/ledger.repository';
export type { LedgerEntry, LedgerPosition, LedgerRepository } from './ledger/ledger.repository';
export type { PostActionState } from './ledger/ledger.tables';

export { createTicketsRepository } from './tickets/tickets.repository';
export type { TicketListFilter, TicketsRepository } from './tickets/tickets.repository';
export type {
  Attachment,
  AttachmentInput,
  NewMessageInput,
  NewTicketInput,
  ThreadLookupHit,
  Ticket,
  TicketMessage,
} from './tickets/tickets.models';

export { createBlobsRepository } from './blobs/blobs.repository';
export type { Blob, BlobInfo, BlobsRepository } from './blobs/blobs.repository';

export { createIngestAttemptsRepository } from './attempts/ingest-attempts.repository';
export type {
  IngestAttempt,
  IngestAttemptsRepository,
} from './attempts/ingest-attempts.repository';

export { ingestDecision } from './ingest/ingest-decision.usecases';
export {
  findLedgerByMessageIds,
  ingestDecisions,
  lastTicketNumber,
} from './ingest/ingest-batch.usecases';
export type {
  IngestBatchInput,
  IngestBatchItem,
  IngestBatchResult,
} from './ingest/ingest-batch.usecases';
export type {
  IngestDecision,
  IngestDecisionInput,
  IngestDecisionResult,
  TooLargeDecision,
} from './ingest/ingest-decision.usecases';

export type { Page, PageRequest } from './shared/paging';
