/**
 * "Sign in with Microsoft" for a mailbox: the authorization-code flow with PKCE and state.
 * `startAuthorization` returns the URL to send the admin to and a record the caller persists
 * server-side (never in the browser); `completeAuthorization` checks the callback against that
 * record, redeems the code and stores the resulting account and refresh token in the mailbox's
 * token cache store, where the TokenProvider finds them.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CryptoProvider } from '@azure/msal-node';
import type { MailboxSecrets, OAuthSettings } from '@mailroom/domain';
import { createMailError } from '../errors/mail-errors';
import { toMailError } from '../errors/to-mail-error';
import type { MailLogger } from '../logging/redacting-logger';
import { scopesOf } from './authority';
import { createMsalApp } from './msal-app';
import type { TokenCacheStore } from './token-cache-store';

/** What the caller keeps between the redirect and the callback. Contains the PKCE verifier: store it like a secret. */
export interface PendingAuthorization {
  state: string;
  codeVerifier: string;
  redirectUri: string;
  scopes: string[];
  createdAt: string;
}

export interface AuthorizationOptions {
  settings: OAuthSettings;
  secrets: Pick<MailboxSecrets, 'clientSecret'>;
  logger?: MailLogger;
  tokenEndpointCa?: string;
  requestTimeoutMs?: number;
}

export interface StartAuthorizationOptions extends AuthorizationOptions {
  /** Pre-fills the Microsoft sign-in with the mailbox address. */
  loginHint?: string;
  now?: () => number;
}

export interface CompleteAuthorizationOptions extends AuthorizationOptions {
  store: TokenCacheStore;
  pending: PendingAuthorization;
  /** Query parameters of the callback request. */
  callback: { code?: string; state?: string; error?: string; errorDescription?: string };
  /** How long a started sign-in stays valid. Default 15 minutes. */
  maxAgeMs?: number;
  now?: () => number;
}

export interface CompletedAuthorization {
  /** The Microsoft account that signed in (its UPN). */
  username: string;
  homeAccountId: string;
  tenantId: string;
  expiresAt: Date | null;
}

const DEFAULT_MAX_AGE_MS = 15 * 60 * 1000;

const redirectOf = (settings: OAuthSettings): string => {
  if (settings.redirectUrl === undefined || settings.redirectUrl === '') {
    throw createMailError(
      'invalid_configuration',
      'Sign in with Microsoft needs the redirect URL registered for the app. Enter the redirect URL.',
      { phase: 'configure', field: 'oauth.redirectUrl' },
    );
  }
  return settings.redirectUrl;
};

const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

const appOptions = (options: AuthorizationOptions) => ({
  settings: options.settings,
  secrets: {
    ...(options.secrets.clientSecret ? { clientSecret: options.secrets.clientSecret } : {}),
  },
  ...(options.logger ? { logger: options.logger } : {}),
  ...(options.tokenEndpointCa ? { tokenEndpointCa: options.tokenEndpointCa } : {}),
  ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
});

export const startAuthorization = async (
  options: StartAuthorizationOptions,
): Promise<{ url: string; pending: PendingAuthorization }> => {
  const redirectUri = redirectOf(options.settings);
  const { app } = createMsalApp(appOptions(options));
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const state = randomBytes(32).toString('base64url');
  const scopes = scopesOf(options.settings);
  try {
    const url = await app.getAuthCodeUrl({
      scopes,
      redirectUri,
      codeChallenge: challenge,
      codeChallengeMethod: 'S256',
      state,
      prompt: 'select_account',
      responseMode: 'query',
      ...(options.loginHint ? { loginHint: options.loginHint } : {}),
    });
    const createdAt = new Date((options.now ?? Date.now)()).toISOString();
    return { url, pending: { state, codeVerifier: verifier, redirectUri, scopes, createdAt } };
  } catch (error) {
    throw toMailError(error, { phase: 'token' });
  }
};

export const completeAuthorization = async (
  options: CompleteAuthorizationOptions,
): Promise<CompletedAuthorization> => {
  const { pending, callback } = options;
  const restart = (reason: string) =>
    createMailError(
      'oauth_reauth_required',
      `The Microsoft sign-in could not be completed: ${reason}. Start "Sign in with Microsoft" again.`,
      { phase: 'token', reason },
    );
  if (callback.state === undefined || !sameText(callback.state, pending.state)) {
    throw restart('the answer does not belong to the sign-in that was started');
  }
  const age = (options.now ?? Date.now)() - Date.parse(pending.createdAt);
  if (!(age >= 0 && age <= (options.maxAgeMs ?? DEFAULT_MAX_AGE_MS))) {
    throw restart('the sign-in took too long');
  }
  if (callback.error !== undefined) {
    throw toMailError(
      {
        name: 'ServerError',
        errorCode: callback.error,
        errorMessage: callback.errorDescription ?? '',
      },
      { phase: 'token' },
    );
  }
  if (callback.code === undefined || callback.code === '') {
    throw restart('Microsoft sent no authorization code');
  }
  const { app } = createMsalApp({ ...appOptions(options), store: options.store });
  try {
    const result = await app.acquireTokenByCode({
      code: callback.code,
      scopes: pending.scopes,
      redirectUri: pending.redirectUri,
      codeVerifier: pending.codeVerifier,
    });
    if (result.account === null) throw restart('Microsoft returned no account');
    return {
      username: result.account.username,
      homeAccountId: result.account.homeAccountId,
      tenantId: result.account.tenantId,
      expiresAt: result.expiresOn,
    };
  } catch (error) {
    throw toMailError(error, {
      phase: 'token',
      secrets: [options.secrets.clientSecret, callback.code, pending.codeVerifier],
    });
  }
};
