/**
 * Where MSAL sends token requests for a mailbox. Without a token endpoint it is Microsoft's
 * global cloud for the tenant (MSAL's own discovery). With one (national clouds, custom
 * authorities, the test fake) MSAL gets the authority, `knownAuthorities`, authority metadata
 * and cloud discovery metadata up front, so it makes no discovery request at all and POSTs to
 * exactly the configured URL. Pure: it only parses the settings.
 */
import type { OAuthSettings } from '@mailroom/domain';
import { createMailError } from '../errors/mail-errors';

export const DEFAULT_AUTHORITY_HOST = 'login.microsoftonline.com';

export interface AuthorityConfig {
  authority: string;
  tokenEndpoint: string;
  /** host[:port] of the token endpoint, for messages. */
  endpointHost: string;
  knownAuthorities?: string[];
  authorityMetadata?: string;
  cloudDiscoveryMetadata?: string;
}

const invalid = (message: string) =>
  createMailError('invalid_configuration', message, {
    phase: 'configure',
    field: 'oauth.tokenEndpoint',
  });

export const authorityFor = (
  settings: Pick<OAuthSettings, 'tenantId' | 'tokenEndpoint'>,
): AuthorityConfig => {
  const tenant = encodeURIComponent(settings.tenantId.trim());
  if (settings.tokenEndpoint === undefined || settings.tokenEndpoint.trim() === '') {
    return {
      authority: `https://${DEFAULT_AUTHORITY_HOST}/${tenant}`,
      tokenEndpoint: `https://${DEFAULT_AUTHORITY_HOST}/${tenant}/oauth2/v2.0/token`,
      endpointHost: DEFAULT_AUTHORITY_HOST,
    };
  }
  let url: URL;
  try {
    url = new URL(settings.tokenEndpoint.trim());
  } catch {
    throw invalid(
      'The token endpoint is not a valid URL. Enter the full https:// URL of the token endpoint.',
    );
  }
  if (url.protocol !== 'https:') {
    throw invalid(
      'The token endpoint must use https://. Microsoft token endpoints are never plain http.',
    );
  }
  const hostPort = url.host;
  // `https://host/<tenant>/oauth2/v2.0/token` -> authority `https://host/<tenant>`.
  const match = /^(.*?)\/oauth2(?:\/v2\.0)?\/token\/?$/.exec(url.pathname);
  const basePath = match?.[1] && match[1] !== '' ? match[1] : `/${tenant}`;
  const base = `${url.origin}${basePath}`;
  const tokenEndpoint = `${url.origin}${url.pathname}`;
  const authorizationEndpoint = match
    ? tokenEndpoint.replace(/\/token\/?$/, '/authorize')
    : `${base}/oauth2/v2.0/authorize`;
  const authorityMetadata = {
    token_endpoint: tokenEndpoint,
    authorization_endpoint: authorizationEndpoint,
    issuer: `${base}/v2.0`,
    jwks_uri: `${base}/discovery/v2.0/keys`,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    response_types_supported: ['code'],
    response_modes_supported: ['query', 'form_post'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    code_challenge_methods_supported: ['S256'],
  };
  const cloudDiscoveryMetadata = {
    tenant_discovery_endpoint: `${base}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: [{ preferred_network: hostPort, preferred_cache: hostPort, aliases: [hostPort] }],
  };
  return {
    authority: base,
    tokenEndpoint,
    endpointHost: hostPort,
    knownAuthorities: [hostPort],
    authorityMetadata: JSON.stringify(authorityMetadata),
    cloudDiscoveryMetadata: JSON.stringify(cloudDiscoveryMetadata),
  };
};

/** The scopes of a mailbox, from the space-separated setting. */
export const scopesOf = (settings: Pick<OAuthSettings, 'scope'>): string[] =>
  settings.scope.split(/\s+/).filter((scope) => scope.length > 0);
