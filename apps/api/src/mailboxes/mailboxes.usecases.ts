/**
 * Admin edits of mailboxes, always inside the caller's tenant. A mailbox and
 * its first secrets are written in one transaction, so a half-created
 * mailbox never exists. Activation is checked (credentials, a ticket mapping that
 * validates against its template, ticket types and offer); every status change bumps
 * settings_version (the repository does), which is how a worker notices.
 */
import {
  createLedgerRepository,
  createMailboxesRepository,
  createOffersRepository,
  createTemplatesRepository,
  createTicketTypesRepository,
  type Database,
  type Mailbox,
  type MailboxSettingsPatch,
  type SecretBox,
} from '@mailroom/db';
import {
  MailroomError,
  type LedgerOutcome,
  type MailboxSecrets,
  type MailboxSettingsInput,
} from '@mailroom/domain';
import { configurationIncompleteError, notActiveError } from './mailboxes.errors';
import { activationIssues } from './mailbox-readiness.models';

export const mailboxNotFoundError = () =>
  new MailroomError('mailbox.not_found', 'This mailbox does not exist.', { kind: 'not_found' });

/** The same code and words as the repository's own check, for the secrets-only path. */
const versionConflictError = () =>
  new MailroomError(
    'mailbox.version_conflict',
    'Someone else changed this mailbox in the meantime; reload it and try again.',
    { kind: 'conflict' },
  );

type SecretsPatch = { [K in keyof MailboxSecrets]?: string | null };

export function createMailboxesUsecases({
  database,
  secretBox,
}: {
  database: Database;
  secretBox: SecretBox;
}) {
  const mailboxes = createMailboxesRepository({ db: database.db, secretBox });
  const templates = createTemplatesRepository({ db: database.db });
  const ticketTypes = createTicketTypesRepository({ db: database.db });
  const offers = createOffersRepository({ db: database.db });
  const ledger = createLedgerRepository({ db: database.db });

  const getScoped = async (tenantId: string, id: string): Promise<Mailbox> => {
    const mailbox = await mailboxes.get(id, { tenantId });
    if (!mailbox) throw mailboxNotFoundError();
    return mailbox;
  };

  return {
    list: (tenantId: string) => mailboxes.listByTenant(tenantId),

    get: getScoped,

    async create(
      tenantId: string,
      input: { settings: MailboxSettingsInput; secrets?: MailboxSecrets },
    ) {
      return database.db.transaction(async (tx) => {
        const repository = createMailboxesRepository({ db: tx, secretBox });
        const created = await repository.create({ tenantId, settings: input.settings });
        if (input.secrets && Object.values(input.secrets).some((value) => value !== undefined)) {
          await repository.setSecrets(created.id, input.secrets);
          return (await repository.get(created.id))!;
        }
        return created;
      });
    },

    async update(
      tenantId: string,
      id: string,
      input: { settings?: MailboxSettingsPatch; secrets?: SecretsPatch; expectedVersion?: number },
    ) {
      const current = await getScoped(tenantId, id);
      const hasSettings = input.settings !== undefined && Object.keys(input.settings).length > 0;
      const hasSecrets = input.secrets !== undefined && Object.keys(input.secrets).length > 0;
      const expected = input.expectedVersion;
      if (!hasSettings && expected !== undefined && current.settingsVersion !== expected) {
        throw versionConflictError();
      }
      return database.db.transaction(async (tx) => {
        const repository = createMailboxesRepository({ db: tx, secretBox });
        if (hasSettings) {
          await repository.updateSettings(
            id,
            input.settings!,
            expected === undefined ? {} : { expectedVersion: expected },
          );
        }
        if (hasSecrets) await repository.setSecrets(id, input.secrets!);
        return (await repository.get(id))!;
      });
    },

    /** Refused with one issue per problem unless the configuration is complete and valid. */
    async activate(tenantId: string, id: string): Promise<Mailbox> {
      const mailbox = await getScoped(tenantId, id);
      const { connection, oauth, mapping } = mailbox.settings;
      const [template, types, offerRows] = mapping
        ? await Promise.all([
            templates.get(mapping.templateId, { tenantId }),
            ticketTypes.getMany(tenantId, mapping.ticketTypes.allowed),
            offers.getMany(tenantId, mapping.defaultOfferId ? [mapping.defaultOfferId] : []),
          ])
        : [null, [], []];
      const issues = activationIssues({
        tenantId,
        connection,
        oauth,
        mapping,
        present: mailbox.secretsPresent,
        template,
        ticketTypes: types,
        offers: offerRows,
      });
      if (issues.length > 0) {
        throw configurationIncompleteError(
          issues,
          'This mailbox cannot be activated yet; fix the listed settings.',
        );
      }
      if (mailbox.status === 'active') return mailbox;
      return mailboxes.setStatus(id, 'active');
    },

    async pause(tenantId: string, id: string): Promise<Mailbox> {
      const mailbox = await getScoped(tenantId, id);
      if (mailbox.status === 'paused') return mailbox;
      if (mailbox.status !== 'active') throw notActiveError();
      return mailboxes.setStatus(id, 'paused');
    },

    /**
     * What happened to each email, newest first, paged by keyset: `cursor` is the
     * id of the last entry already shown (null for the first page). Null when that
     * entry is not one of this mailbox's (a stale or foreign cursor).
     */
    async ledger(
      tenantId: string,
      id: string,
      query: { outcomes: LedgerOutcome[]; limit: number; cursor: string | null },
    ) {
      await getScoped(tenantId, id);
      if (query.cursor !== null) {
        const after = await ledger.get(query.cursor);
        if (!after || after.mailboxId !== id) return null;
      }
      return ledger.listForMailbox(id, {
        limit: query.limit,
        cursor: query.cursor,
        ...(query.outcomes.length > 0 ? { outcome: query.outcomes } : {}),
      });
    },
  };
}

export type MailboxesUsecases = ReturnType<typeof createMailboxesUsecases>;
