/**
 * "Sign in with Microsoft" for a saved mailbox: start (authorization-code URL with PKCE and
 * state, the pending record sealed for the browser) and complete (check the sealed record,
 * redeem the code, store MSAL's cache encrypted as the mailbox's msalCache secret, clear an
 * auth_required health, bump settings_version so a running worker logs in again). Completion
 * never throws: the browser is redirected to the admin app with an outcome either way.
 */
import type { Mailbox, MailboxesRepository } from '@mailroom/db';
import { createMailboxTokenStore } from '@mailroom/ingest';
import { isMailroomError } from '@mailroom/domain';
import { completeAuthorization, startAuthorization, type MailLogger } from '@mailroom/mail';
import { configurationIncompleteError } from '../mailboxes/mailboxes.errors';
import { mailboxNotFoundError } from '../mailboxes/mailboxes.usecases';
import { pendingCookieName, type PendingSealer } from './oauth-pending';

/** How long a started sign-in may take. */
export const SIGN_IN_TTL_MS = 10 * 60 * 1000;

export const oauthErrorCodes = {
  signInExpired: 'oauth.sign_in_expired',
} as const;

export interface StartedSignIn {
  url: string;
  cookie: { name: string; value: string; maxAgeSeconds: number };
}

export type SignInOutcome =
  | { ok: true; mailboxId: string; account: string }
  | { ok: false; mailboxId: string | null; code: string };

export function createOAuthUsecases({
  mailboxes,
  sealer,
  now = () => Date.now(),
  tokenEndpointCa,
}: {
  mailboxes: MailboxesRepository;
  sealer: PendingSealer;
  now?: () => number;
  tokenEndpointCa?: string;
}) {
  const getScoped = async (tenantId: string, id: string): Promise<Mailbox> => {
    const mailbox = await mailboxes.get(id, { tenantId });
    if (!mailbox) throw mailboxNotFoundError();
    return mailbox;
  };

  return {
    async start(tenantId: string, mailboxId: string, logger?: MailLogger): Promise<StartedSignIn> {
      const mailbox = await getScoped(tenantId, mailboxId);
      const oauth = mailbox.settings.oauth;
      const refuse = (path: string, message: string) =>
        configurationIncompleteError(
          [{ path, message }],
          'This mailbox cannot sign in with Microsoft yet; see the listed fields.',
        );
      if (mailbox.settings.connection.authType !== 'oauth2' || oauth === undefined) {
        throw refuse('settings.oauth', 'choose OAuth2 and save the Microsoft settings first');
      }
      if (oauth.flow === 'client_credentials') {
        throw refuse(
          'settings.oauth.flow',
          'app-only access (client credentials) needs no sign-in; choose the sign-in flow',
        );
      }
      if (oauth.redirectUrl === undefined || oauth.redirectUrl === '') {
        throw refuse(
          'settings.oauth.redirectUrl',
          'enter the redirect URL registered for the app (…/api/v1/oauth/callback)',
        );
      }
      const { clientSecret } = await mailboxes.getSecrets(mailboxId);
      const { url, pending } = await startAuthorization({
        settings: oauth,
        secrets: clientSecret === undefined ? {} : { clientSecret },
        loginHint: mailbox.settings.connection.username,
        now,
        ...(logger ? { logger } : {}),
        ...(tokenEndpointCa ? { tokenEndpointCa } : {}),
      });
      const value = sealer.seal({
        mailboxId,
        tenantId,
        pending,
        expiresAt: now() + SIGN_IN_TTL_MS,
      });
      return {
        url,
        cookie: {
          name: pendingCookieName(pending.state),
          value,
          maxAgeSeconds: SIGN_IN_TTL_MS / 1000,
        },
      };
    },

    /** `sealed` is the pending cookie named after the callback's state, if the browser sent it. */
    async complete(input: {
      callback: { code?: string; state?: string; error?: string; errorDescription?: string };
      sealed: string | undefined;
      logger?: MailLogger;
    }): Promise<SignInOutcome> {
      const { callback } = input;
      const record =
        callback.state === undefined || input.sealed === undefined
          ? null
          : sealer.open(input.sealed, callback.state, now());
      if (record === null)
        return { ok: false, mailboxId: null, code: oauthErrorCodes.signInExpired };
      const mailbox = await mailboxes.get(record.mailboxId, { tenantId: record.tenantId });
      if (mailbox === null) return { ok: false, mailboxId: null, code: 'mailbox.not_found' };
      const oauth = mailbox.settings.oauth;
      if (oauth === undefined) {
        return { ok: false, mailboxId: mailbox.id, code: 'mailbox.configuration_incomplete' };
      }
      try {
        const { clientSecret } = await mailboxes.getSecrets(mailbox.id);
        const completed = await completeAuthorization({
          settings: oauth,
          secrets: clientSecret === undefined ? {} : { clientSecret },
          store: createMailboxTokenStore(mailboxes, mailbox.id),
          pending: record.pending,
          callback,
          maxAgeMs: SIGN_IN_TTL_MS,
          now,
          ...(input.logger ? { logger: input.logger } : {}),
          ...(tokenEndpointCa ? { tokenEndpointCa } : {}),
        });
        // New credentials: the worker reconnects (settings_version) and the admin no longer
        // sees "re-authorization required".
        await mailboxes.updateSettings(mailbox.id, {});
        if (mailbox.health.state === 'auth_required') {
          await mailboxes.updateHealth(mailbox.id, {
            state: mailbox.status === 'active' ? 'connecting' : 'idle',
            attempt: 0,
            nextAttemptAt: null,
            lastErrorCode: null,
            lastErrorMessage: null,
          });
        }
        return { ok: true, mailboxId: mailbox.id, account: completed.username };
      } catch (error) {
        if (!isMailroomError(error)) throw error;
        return { ok: false, mailboxId: mailbox.id, code: error.code };
      }
    },
  };
}

export type OAuthUsecases = ReturnType<typeof createOAuthUsecases>;
