/**
 * Admin edits of mailboxes, always inside the caller's tenant. A mailbox and
 * its first secrets are written in one transaction, so a half-created
 * mailbox never exists. Status changes (activation) come with the wizard and
 * are not here.
 */
import {
  createMailboxesRepository,
  type Database,
  type Mailbox,
  type MailboxSettingsPatch,
  type SecretBox,
} from '@mailroom/db';
import { MailroomError, type MailboxSecrets, type MailboxSettingsInput } from '@mailroom/domain';

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
  };
}

export type MailboxesUsecases = ReturnType<typeof createMailboxesUsecases>;
