/**
 * Encrypted, write-only mailbox secrets. Admin-facing code can only set them
 * and ask which are present; only the ingestion side reads them back, through
 * `getSecrets`, which decrypts with the secret box. Changing an admin secret
 * bumps the mailbox's settings_version so a running worker reconnects; the
 * worker's own MSAL cache writes do not.
 */
import { MailroomError } from '@mailroom/domain';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../database/database.types';
import type { SecretBox } from '../secrets/secret-box';
import { isUuid } from '../shared/ids';
import { isForeignKeyViolation } from '../shared/pg-errors';
import {
  noSecretsPresent,
  secretNameToStored,
  storedToSecretName,
  type MailboxSecretName,
  type SecretsPresent,
} from './mailboxes.models';
import { mailboxSecrets, mailboxes } from './mailboxes.tables';

export const mailboxNotFound = () =>
  new MailroomError('mailbox.not_found', 'This mailbox does not exist.', { kind: 'not_found' });

export const createMailboxSecretsRepository = ({
  db,
  secretBox,
}: {
  db: Db;
  secretBox?: SecretBox;
}) => {
  const requireBox = (): SecretBox => {
    if (secretBox === undefined) {
      throw new Error('createMailboxesRepository needs a secretBox to read or write secrets');
    }
    return secretBox;
  };

  const presentFor = async (mailboxIds: string[]): Promise<Map<string, SecretsPresent>> => {
    const present = new Map<string, SecretsPresent>();
    for (const id of mailboxIds) present.set(id, noSecretsPresent());
    if (mailboxIds.length === 0) return present;
    const rows = await db
      .select({ mailboxId: mailboxSecrets.mailboxId, name: mailboxSecrets.name })
      .from(mailboxSecrets)
      .where(inArray(mailboxSecrets.mailboxId, mailboxIds));
    for (const row of rows) present.get(row.mailboxId)![storedToSecretName[row.name]] = true;
    return present;
  };

  return {
    /** Internal helper for the mailboxes repository; not part of the package surface. */
    presentFor,

    /**
     * Sets (string) or removes (null) secrets; omitted names are left alone.
     * Runs in one transaction so a half-written credential set is never seen.
     */
    async setSecrets(
      mailboxId: string,
      secrets: Partial<Record<MailboxSecretName, string | null>>,
    ): Promise<SecretsPresent> {
      if (!isUuid(mailboxId)) throw mailboxNotFound();
      const box = requireBox();
      const entries = Object.entries(secrets).filter(([, value]) => value !== undefined) as Array<
        [MailboxSecretName, string | null]
      >;
      await db.transaction(async (tx) => {
        for (const [name, value] of entries) {
          const stored = secretNameToStored[name];
          if (value === null) {
            await tx
              .delete(mailboxSecrets)
              .where(and(eq(mailboxSecrets.mailboxId, mailboxId), eq(mailboxSecrets.name, stored)));
            continue;
          }
          const sealed = box.seal({ mailboxId, name: stored, plaintext: value });
          try {
            await tx
              .insert(mailboxSecrets)
              .values({ mailboxId, name: stored, ...sealed })
              .onConflictDoUpdate({
                target: [mailboxSecrets.mailboxId, mailboxSecrets.name],
                set: { ...sealed, updatedAt: new Date() },
              });
          } catch (error) {
            if (isForeignKeyViolation(error)) throw mailboxNotFound();
            throw error;
          }
        }
        if (entries.some(([name]) => name !== 'msalCache')) {
          await tx
            .update(mailboxes)
            .set({ settingsVersion: sql`${mailboxes.settingsVersion} + 1`, updatedAt: new Date() })
            .where(eq(mailboxes.id, mailboxId));
        }
      });
      return (await presentFor([mailboxId])).get(mailboxId)!;
    },

    async secretsPresent(mailboxId: string): Promise<SecretsPresent> {
      if (!isUuid(mailboxId)) return noSecretsPresent();
      return (await presentFor([mailboxId])).get(mailboxId)!;
    },

    /** Decrypted secrets, for the ingestion side only. Never send these to a client. */
    async getSecrets(mailboxId: string): Promise<Partial<Record<MailboxSecretName, string>>> {
      if (!isUuid(mailboxId)) return {};
      const box = requireBox();
      const rows = await db
        .select()
        .from(mailboxSecrets)
        .where(eq(mailboxSecrets.mailboxId, mailboxId));
      const secrets: Partial<Record<MailboxSecretName, string>> = {};
      for (const row of rows) {
        secrets[storedToSecretName[row.name]] = box.open({
          mailboxId,
          name: row.name,
          ciphertext: row.ciphertext,
          iv: row.iv,
          tag: row.tag,
          keyId: row.keyId,
        });
      }
      return secrets;
    },
  };
};
