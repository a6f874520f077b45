/**
 * MSAL's token cache of one saved mailbox, kept as its encrypted `msalCache` secret, so a
 * Test Connection or a "Sign in with Microsoft" in the API writes where the worker reads.
 * @mailroom/ingest has its own (unexported) equivalent; this one is the API's. Writing the
 * cache does not bump settings_version (the db's rule for msalCache).
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
