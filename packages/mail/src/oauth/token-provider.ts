/**
 * One TokenProvider per mailbox hands out a valid Microsoft access token for XOAUTH2. It keeps
 * the token in memory until `refreshMarginMs` before expiry, refreshes at most once at a time
 * (concurrent callers share the request), and persists MSAL's cache, with the rotated refresh
 * token, through the mailbox's store after every refresh: a new provider over the same store
 * (a restarted process) continues where the old one stopped.
 *
 * Routes: client credentials (app-only, `.default` scope); delegated via the cache filled by
 * "Sign in with Microsoft"; and a pasted refresh token, migrated into the cache on first use and
 * tried again if the cached grant is refused (the admin may have pasted a new one).
 */
import type { AuthenticationResult } from '@azure/msal-node';
import type { MailboxSecrets, MailroomError, OAuthSettings } from '@mailroom/domain';
import type { AccessToken, AccessTokenSource } from '../connect/credentials';
import { createMailError, mailErrorCodeOf } from '../errors/mail-errors';
import { toMailError } from '../errors/to-mail-error';
import { createRedactingLogger, silentLogger, type MailLogger } from '../logging/redacting-logger';
import { scopesOf } from './authority';
import { createMsalApp, type MsalApp } from './msal-app';
import type { TokenCacheStore } from './token-cache-store';

export interface TokenProviderOptions {
  settings: OAuthSettings;
  /** The mailbox login: the XOAUTH2 user, and which cached account to use. */
  username: string;
  secrets: Pick<MailboxSecrets, 'clientSecret' | 'refreshToken'>;
  store: TokenCacheStore;
  logger?: MailLogger;
  /** Refresh this long before the access token expires. Default 5 minutes. */
  refreshMarginMs?: number;
  /** PEM of a CA to trust for the token endpoint only (private clouds, test fakes). */
  tokenEndpointCa?: string;
  /** Per token request. Default 15 s. */
  requestTimeoutMs?: number;
  now?: () => number;
}

export interface TokenProvider extends AccessTokenSource {
  readonly username: string;
  /** Forgets the in-memory access token; the next call asks MSAL (and its cache) again. */
  invalidate(): void;
}

export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60 * 1000;

interface Held {
  accessToken: string;
  expiresAt: Date;
  /** MSAL answered from its cache (possibly loaded from the store) without a token request. */
  fromCache: boolean;
}

/** Client credentials only accept `<resource>/.default`; turn delegated scopes into that. */
export const appOnlyScopes = (scopes: string[]): string[] => [
  ...new Set(
    scopes
      .filter((scope) => /^[a-z]+:\/\//i.test(scope))
      .map((scope) =>
        scope.endsWith('/.default') ? scope : scope.replace(/\/[^/]*$/, '/.default'),
      ),
  ),
];

export const createTokenProvider = (options: TokenProviderOptions): TokenProvider => {
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  const secretsList = () => [options.secrets.clientSecret, options.secrets.refreshToken];
  const log = createRedactingLogger(options.logger ?? silentLogger, secretsList, {
    component: 'mail.oauth',
    user: options.username,
    flow: options.settings.flow,
  });
  const scopes = scopesOf(options.settings);

  let msal: MsalApp | null = null;
  const app = (): MsalApp =>
    (msal ??= createMsalApp({
      settings: options.settings,
      secrets: options.secrets,
      store: options.store,
      ...(options.logger ? { logger: options.logger } : {}),
      ...(options.tokenEndpointCa ? { tokenEndpointCa: options.tokenEndpointCa } : {}),
      ...(options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    }));

  const mapError = (error: unknown): MailroomError =>
    toMailError(error, {
      phase: 'token',
      username: options.username,
      authMethod: 'oauth2',
      tokenEndpointHost: msal?.authority.endpointHost ?? 'login.microsoftonline.com',
      secrets: secretsList(),
    });

  const held = (result: AuthenticationResult | null): Held => {
    if (result === null || result.accessToken === '') {
      throw createMailError(
        'oauth_reauth_required',
        `Microsoft returned no access token for ${options.username}. Sign in with Microsoft again.`,
        { phase: 'token' },
      );
    }
    const expiresAt = result.expiresOn ?? new Date(now() + 60 * 60 * 1000);
    return { accessToken: result.accessToken, expiresAt, fromCache: result.fromCache };
  };

  const fresh = (token: Held | null): token is Held =>
    token !== null && token.expiresAt.getTime() - now() > margin;

  const appOnly = async (force: boolean): Promise<Held> => {
    const confidential = app().confidential;
    if (confidential === null) {
      throw createMailError(
        'invalid_configuration',
        'App-only access (client credentials) needs a client secret. Enter the client secret of the app registration.',
        { phase: 'configure', field: 'secrets.clientSecret' },
      );
    }
    const appScopes = appOnlyScopes(scopes);
    let result = held(
      await confidential.acquireTokenByClientCredential({ scopes: appScopes, skipCache: force }),
    );
    if (!fresh(result) && !force) {
      result = held(
        await confidential.acquireTokenByClientCredential({ scopes: appScopes, skipCache: true }),
      );
    }
    return result;
  };

  const migratePastedToken = async (): Promise<Held> => {
    const refreshToken = options.secrets.refreshToken;
    if (refreshToken === undefined || refreshToken === '') {
      throw createMailError(
        'oauth_reauth_required',
        `No Microsoft sign-in is stored for ${options.username}. Use "Sign in with Microsoft" or paste a refresh token.`,
        { phase: 'token' },
      );
    }
    // forceCache: keep the account and the rotated refresh token although the cache had no account.
    const result = held(
      await app().app.acquireTokenByRefreshToken({ refreshToken, scopes, forceCache: true }),
    );
    log.info({}, 'pasted refresh token moved into the token cache');
    return result;
  };

  const delegated = async (force: boolean): Promise<Held> => {
    const { app: client } = app();
    const accounts = await client.getTokenCache().getAllAccounts();
    const wanted = options.username.toLowerCase();
    const account =
      accounts.find((entry) => entry.username.toLowerCase() === wanted) ?? accounts[0] ?? null;
    if (account === null) return migratePastedToken();
    try {
      let result = held(await client.acquireTokenSilent({ account, scopes, forceRefresh: force }));
      if (!fresh(result) && !force) {
        result = held(await client.acquireTokenSilent({ account, scopes, forceRefresh: true }));
      }
      return result;
    } catch (error) {
      const mapped = mapError(error);
      if (mailErrorCodeOf(mapped) !== 'oauth_reauth_required' || !options.secrets.refreshToken) {
        throw mapped;
      }
      log.warn({ code: mapped.code }, 'cached grant refused; trying the pasted refresh token');
      try {
        return await migratePastedToken();
      } catch {
        throw mapped;
      }
    }
  };

  let current: Held | null = null;
  let inflight: { forced: boolean; promise: Promise<Held> } | null = null;

  const acquire = (force: boolean): Promise<Held> => {
    if (inflight !== null && (inflight.forced || !force)) return inflight.promise;
    const previous = inflight?.promise.catch(() => undefined) ?? Promise.resolve();
    // A token we hold that is about to expire must be replaced, not re-read from the cache.
    const forceRefresh = force || current !== null;
    const promise = previous
      .then(() =>
        options.settings.flow === 'client_credentials'
          ? appOnly(forceRefresh)
          : delegated(forceRefresh),
      )
      .then(
        (token) => {
          current = token;
          return token;
        },
        (error: unknown) => {
          current = null;
          throw mapError(error);
        },
      )
      .finally(() => {
        if (inflight?.promise === promise) inflight = null;
      });
    inflight = { forced: force, promise };
    return promise;
  };

  return {
    username: options.username,
    invalidate: () => {
      current = null;
    },
    getAccessToken: async (request = {}): Promise<AccessToken> => {
      const force = request.forceRefresh === true;
      if (!force && fresh(current)) return { ...current, fromCache: true };
      const token = await acquire(force);
      return {
        accessToken: token.accessToken,
        expiresAt: token.expiresAt,
        fromCache: token.fromCache,
      };
    },
  };
};
