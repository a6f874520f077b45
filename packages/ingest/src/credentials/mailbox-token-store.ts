/**
 * MSAL's token cache of one saved mailbox, kept as its encrypted `msalCache` secret. The one
 * implementation for the whole product: the engine's token providers read and write it, and the
 * API's Test Connection and "Sign in with Microsoft" write where the engine reads. Writing the
 * cache never bumps settings_version (the db's rule for `msalCache`), so a refresh made by a
 * running worker does not restart that worker's own runner.
 */
import type { MailboxesRepository } from '@mailroom/db';
import type { TokenCacheStore } from '@mailroom/mail';

export const createMailboxTokenStore = (
  mailboxes: Pick<MailboxesRepository, 'getSecrets' | 'setSecrets'>,
  mailboxId: string,
): TokenCacheStore => ({
  load: async () => (await mailboxes.getSecrets(mailboxId)).msalCache ?? null,
  save: async (cache) => {
    await mailboxes.setSecrets(mailboxId, { msalCache: cache });
  },
});
