/** Every repository over one database, for apps that want them all (API, worker, CLI). */
import { createApiKeysRepository } from './api-keys/api-keys.repository';
import { createIngestAttemptsRepository } from './attempts/ingest-attempts.repository';
import { createBlobsRepository } from './blobs/blobs.repository';
import { createCheckpointsRepository } from './checkpoints/checkpoints.repository';
import type { Db } from './database/database.types';
import { createLedgerRepository } from './ledger/ledger.repository';
import { createMailboxesRepository } from './mailboxes/mailboxes.repository';
import { createOffersRepository } from './offers/offers.repository';
import type { SecretBox } from './secrets/secret-box';
import { createTemplatesRepository } from './templates/templates.repository';
import { createTenantsRepository } from './tenants/tenants.repository';
import { createTicketTypesRepository } from './ticket-types/ticket-types.repository';
import { createTicketsRepository } from './tickets/tickets.repository';
import { createSessionsRepository } from './users/sessions.repository';
import { createUsersRepository } from './users/users.repository';

export const createRepositories = ({ db, secretBox }: { db: Db; secretBox?: SecretBox }) => ({
  tenants: createTenantsRepository({ db }),
  users: createUsersRepository({ db }),
  sessions: createSessionsRepository({ db }),
  apiKeys: createApiKeysRepository({ db }),
  templates: createTemplatesRepository({ db }),
  ticketTypes: createTicketTypesRepository({ db }),
  offers: createOffersRepository({ db }),
  mailboxes: createMailboxesRepository({ db, secretBox }),
  checkpoints: createCheckpointsRepository({ db }),
  ledger: createLedgerRepository({ db }),
  tickets: createTicketsRepository({ db }),
  blobs: createBlobsRepository({ db }),
  ingestAttempts: createIngestAttemptsRepository({ db }),
});

export type Repositories = ReturnType<typeof createRepositories>;
