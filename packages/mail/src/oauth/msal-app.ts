/**
 * Builds the MSAL client application for one mailbox: confidential when a client secret is
 * stored, public otherwise; authority from the settings (no discovery for custom endpoints);
 * our network client; the mailbox's cache store as MSAL cache plugin; MSAL's own log lines
 * without PII, scrubbed, at warning level and above.
 */
import {
  ConfidentialClientApplication,
  LogLevel,
  PublicClientApplication,
  type Configuration,
} from '@azure/msal-node';
import type { MailboxSecrets, OAuthSettings } from '@mailroom/domain';
import { createRedactingLogger, silentLogger, type MailLogger } from '../logging/redacting-logger';
import { authorityFor, type AuthorityConfig } from './authority';
import { createNetworkClient } from './network-client';
import { cachePluginFor, type TokenCacheStore } from './token-cache-store';

export interface MsalAppOptions {
  settings: OAuthSettings;
  secrets: Pick<MailboxSecrets, 'clientSecret' | 'refreshToken'>;
  store?: TokenCacheStore;
  logger?: MailLogger;
  /** PEM of a CA to trust for the token endpoint only. */
  tokenEndpointCa?: string;
  /** Per token request. Default 15 s. */
  requestTimeoutMs?: number;
}

export interface MsalApp {
  app: ConfidentialClientApplication | PublicClientApplication;
  confidential: ConfidentialClientApplication | null;
  authority: AuthorityConfig;
}

export const DEFAULT_TOKEN_REQUEST_TIMEOUT_MS = 15_000;

export const createMsalApp = (options: MsalAppOptions): MsalApp => {
  const authority = authorityFor(options.settings);
  const log = createRedactingLogger(
    options.logger ?? silentLogger,
    () => [options.secrets.clientSecret, options.secrets.refreshToken],
    { component: 'msal' },
  );
  const configuration: Configuration = {
    auth: {
      clientId: options.settings.clientId,
      authority: authority.authority,
      ...(authority.knownAuthorities ? { knownAuthorities: authority.knownAuthorities } : {}),
      ...(authority.authorityMetadata ? { authorityMetadata: authority.authorityMetadata } : {}),
      ...(authority.cloudDiscoveryMetadata
        ? { cloudDiscoveryMetadata: authority.cloudDiscoveryMetadata }
        : {}),
      ...(options.secrets.clientSecret ? { clientSecret: options.secrets.clientSecret } : {}),
    },
    ...(options.store ? { cache: { cachePlugin: cachePluginFor(options.store) } } : {}),
    system: {
      networkClient: createNetworkClient({
        timeoutMs: options.requestTimeoutMs ?? DEFAULT_TOKEN_REQUEST_TIMEOUT_MS,
        ...(options.tokenEndpointCa ? { ca: options.tokenEndpointCa } : {}),
      }),
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (level, message, containsPii) => {
          if (containsPii) return;
          if (level === LogLevel.Error) log.error({ msal: true }, message);
          else log.warn({ msal: true }, message);
        },
      },
    },
  };
  if (options.secrets.clientSecret) {
    const confidential = new ConfidentialClientApplication(configuration);
    return { app: confidential, confidential, authority };
  }
  return { app: new PublicClientApplication(configuration), confidential: null, authority };
};
