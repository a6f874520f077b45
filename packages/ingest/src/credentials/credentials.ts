/**
 * How a mailbox logs in, from its stored secrets: a password, or a Microsoft
 * token provider whose MSAL cache (account + rotated refresh token) is written
 * back encrypted as the mailbox's `msalCache` secret after every refresh, so a
 * restarted worker keeps the rotated token and OAuth does not die after 90 days.
 * One provider per mailbox runner; it is rebuilt when the settings change.
 */
import type { Repositories } from '@mailroom/db';
import {
  createMailError,
  createTokenProvider,
  type ImapCredentials,
  type MailLogger,
} from '@mailroom/mail';
import type { MailboxSettings } from '@mailroom/domain';
import { createMailboxTokenStore } from './mailbox-token-store';

export interface CredentialsSource {
  /** Credentials for the next login; secrets are read fresh each time. */
  get(): Promise<ImapCredentials>;
  /** Every secret value known so far, for log scrubbing. */
  secrets(): string[];
}

export const createCredentialsSource = (input: {
  mailboxId: string;
  settings: MailboxSettings;
  mailboxes: Repositories['mailboxes'];
  logger?: MailLogger;
}): CredentialsSource => {
  const { mailboxId, settings, mailboxes } = input;
  const known = new Set<string>();
  let provider: ReturnType<typeof createTokenProvider> | null = null;

  const store = createMailboxTokenStore(mailboxes, mailboxId);

  return {
    secrets: () => [...known],
    async get(): Promise<ImapCredentials> {
      const secrets = await mailboxes.getSecrets(mailboxId);
      for (const value of [secrets.password, secrets.clientSecret, secrets.refreshToken]) {
        if (value !== undefined) known.add(value);
      }
      if (settings.connection.authType === 'password') {
        if (secrets.password === undefined) {
          throw createMailError(
            'auth_failed',
            'No password is stored for this mailbox; enter it in the mailbox settings.',
            { phase: 'authenticate' },
          );
        }
        return { type: 'password', password: secrets.password };
      }
      if (settings.oauth === undefined) {
        throw createMailError(
          'invalid_configuration',
          'This mailbox uses OAuth2 but has no OAuth settings; complete them in the mailbox settings.',
          { phase: 'token' },
        );
      }
      provider ??= createTokenProvider({
        settings: settings.oauth,
        username: settings.connection.username,
        secrets: { clientSecret: secrets.clientSecret, refreshToken: secrets.refreshToken },
        store,
        ...(input.logger === undefined ? {} : { logger: input.logger }),
      });
      return { type: 'oauth2', tokens: provider };
    },
  };
};
