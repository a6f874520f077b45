/*
 * An offline stand-in for Microsoft Entra ID (Azure AD) v2.0: the token endpoint over
 * HTTPS (client_credentials, refresh_token with rotation, authorization_code with PKCE),
 * an authorize endpoint that signs a configured user in, and the RFC 7662 introspection
 * endpoint Dovecot's oauth2 passdb calls. Errors have Entra's shape and AADSTS codes so
 * clients classify them as they would in production. Test controls revoke, expire and
 * count. It is a fake of Microsoft's cloud only: it never talks to the network itself.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { armReaper } from './reaper';
import { makeTempDir, removeDir } from './temp-dir';
import {
  createCertificateAuthority,
  issueServerCertificate,
  loadCertificateAuthority,
  type CertificateAuthority,
} from './tls';

/** Set by the global setup: folder holding `ca.pem` + `ca.key` trusted via NODE_EXTRA_CA_CERTS. */
export const TEST_CA_DIR_ENV = 'MAILROOM_TEST_CA_DIR';

export interface EntraApp {
  clientId: string;
  clientSecret: string;
  /** Directory (tenant) id, ideally a GUID; token requests must use it (or common/organizations). */
  tenant: string;
  /** Display name, used in consent errors. */
  name?: string;
  /** Allowed redirect URIs for the code flow (default: any). */
  redirectUris?: string[];
  /** The mailbox an app-only (client_credentials) token may open over IMAP/SMTP. */
  appMailbox?: string;
}

export interface StartEntraFakeOptions {
  /** Lifetime of access tokens (default 3600 s). */
  accessTokenTtlSeconds?: number;
  /** Refresh tokens expire after this much inactivity (default 90 days). */
  refreshTokenTtlSeconds?: number;
  /**
   * 'revoke-old' (default): redeeming a refresh token returns a new one and revokes the
   * old one. 'keep-old': the old one stays valid too (what Entra itself does).
   */
  refreshTokenRotation?: 'revoke-old' | 'keep-old';
  /** Use this CA instead of the shared one (MAILROOM_TEST_CA_DIR) or a fresh one. */
  ca?: CertificateAuthority;
  /** User signed in at the authorize endpoint (see `signIn`). */
  interactiveUser?: string;
}

export interface EntraRequestRecord {
  endpoint: 'token' | 'introspect' | 'authorize' | 'metadata';
  tenant?: string;
  grantType?: string;
  clientId?: string;
  status: number;
  error?: string;
  /** AADSTS number of the error, if any. */
  errorCode?: number;
  at: Date;
}

export interface EntraErrorSpec {
  status: number;
  error: string;
  /** e.g. 50196 -> "AADSTS50196: …" */
  code: number;
  description: string;
  suberror?: string;
}

export interface MsalAuthorityConfig {
  authority: string;
  knownAuthorities: string[];
  /** JSON string for msal-node `auth.authorityMetadata`. */
  authorityMetadata: string;
  /** JSON string for msal-node `auth.cloudDiscoveryMetadata`. */
  cloudDiscoveryMetadata: string;
}

export interface EntraFake {
  /** `https://127.0.0.1:PORT` */
  readonly baseUrl: string;
  /** `127.0.0.1:PORT`, for msal `knownAuthorities`. */
  readonly host: string;
  /** Plain-HTTP RFC 7662 endpoint for Dovecot's oauth2 passdb (`startDovecot({ oauth2: { introspectionUrl } })`). */
  readonly introspectionUrl: string;
  /** PEM and path of the CA that signed the HTTPS certificate. */
  readonly caPem: string;
  readonly caPath: string;
  /** Whether this process trusts the CA already (it was in NODE_EXTRA_CA_CERTS at start-up). */
  readonly caTrustedByProcess: boolean;
  readonly requests: readonly EntraRequestRecord[];
  authority(tenant: string): string;
  tokenEndpoint(tenant: string): string;
  authorizeEndpoint(tenant: string): string;
  /** authority, knownAuthorities, authorityMetadata, cloudDiscoveryMetadata: no discovery requests. */
  msalConfig(tenant: string): MsalAuthorityConfig;
  registerApp(app: EntraApp): void;
  /** A one-time code for `acquireTokenByCode` (valid 10 minutes). */
  issueAuthorizationCode(input: {
    clientId: string;
    username: string;
    scope?: string;
    redirectUri?: string;
    codeChallenge?: string;
    codeChallengeMethod?: 'S256' | 'plain';
  }): string;
  /** A refresh token as if the user had consented earlier (what an admin pastes into settings). */
  issueRefreshToken(input: { clientId: string; username: string; scope?: string }): string;
  /** An access token for `username` (e.g. for Dovecot XOAUTH2 or the SMTP sink). */
  issueAccessToken(input: {
    username: string;
    clientId?: string;
    scope?: string;
    ttlSeconds?: number;
  }): string;
  /** True for a live (issued, unexpired, unrevoked) access token, of `username` if given. */
  isAccessTokenValid(token: string, username?: string): boolean;
  /** The user the authorize endpoint signs in (undefined: it answers `login_required`). */
  signIn(username: string | undefined): void;
  revokeRefreshToken(token: string): void;
  /** Revokes every refresh and access token (of one user if given), like a password reset. */
  revokeAll(username?: string): void;
  expireAccessTokens(): void;
  expireClientSecret(clientId: string): void;
  /** Replaces the app's secret (the old one then fails with AADSTS7000215). */
  setClientSecret(clientId: string, clientSecret: string): void;
  /** Consent withdrawn for the app (for one user if given): grants fail with AADSTS65001. */
  setConsentRevoked(clientId: string, revoked: boolean, username?: string): void;
  /** The next `times` token requests fail with `spec` (default: 503 temporarily_unavailable). */
  failNext(times?: number, spec?: EntraErrorSpec): void;
  /** Delay every token response by `ms` (for client timeout tests). */
  setResponseDelay(ms: number): void;
  /** Number of recorded requests matching the filter. */
  count(
    filter?: Partial<
      Pick<EntraRequestRecord, 'endpoint' | 'grantType' | 'clientId' | 'status' | 'error'>
    >,
  ): number;
  stop(): Promise<void>;
}

interface AppState extends EntraApp {
  secretExpired: boolean;
  consentRevoked: boolean;
  consentRevokedUsers: Set<string>;
}

interface RefreshTokenState {
  clientId: string;
  username: string;
  scope: string;
  lastUsed: number;
  revoked: boolean;
}

interface AccessTokenState {
  clientId: string;
  username: string | undefined;
  scope: string;
  expiresAt: number;
  revoked: boolean;
}

interface CodeState {
  clientId: string;
  username: string;
  scope: string;
  redirectUri?: string;
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  expiresAt: number;
  redeemed: boolean;
}

class EntraError extends Error {
  constructor(readonly spec: EntraErrorSpec) {
    super(spec.description);
  }
}

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);
const DEFAULT_SCOPE = 'https://outlook.office.com/IMAP.AccessAsUser.All';

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/** A stable object id (GUID) for a user name. */
function objectId(username: string): string {
  const hex = createHash('sha256').update(`oid:${username.toLowerCase()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function errorBody(spec: EntraErrorSpec): Record<string, unknown> {
  const now = new Date();
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = `${now.toISOString().slice(0, 19).replace('T', ' ')}Z`;
  return {
    error: spec.error,
    error_description:
      `AADSTS${spec.code}: ${spec.description}\r\nTrace ID: ${traceId}\r\n` +
      `Correlation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [spec.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${spec.code}`,
    ...(spec.suberror ? { suberror: spec.suberror } : {}),
  };
}

const errors = {
  missingParameter: (name: string): EntraErrorSpec => ({
    status: 400,
    error: 'invalid_request',
    code: 900144,
    description: `The request body must contain the following parameter: '${name}'.`,
  }),
  unknownTenant: (tenant: string): EntraErrorSpec => ({
    status: 400,
    error: 'invalid_request',
    code: 90002,
    description: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
  }),
  unknownClient: (clientId: string, tenant: string): EntraErrorSpec => ({
    status: 400,
    error: 'unauthorized_client',
    code: 700016,
    description: `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
  }),
  wrongSecret: (clientId: string): EntraErrorSpec => ({
    status: 401,
    error: 'invalid_client',
    code: 7000215,
    description: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  }),
  expiredSecret: (clientId: string): EntraErrorSpec => ({
    status: 401,
    error: 'invalid_client',
    code: 7000222,
    description: `The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
  }),
  unsupportedGrant: (grant: string): EntraErrorSpec => ({
    status: 400,
    error: 'unsupported_grant_type',
    code: 70003,
    description: `The app requested an unsupported grant type '${grant}'.`,
  }),
  badRefreshToken: (): EntraErrorSpec => ({
    status: 400,
    error: 'invalid_grant',
    code: 9002313,
    description: 'Invalid request. Request is malformed or invalid.',
  }),
  revokedRefreshToken: (): EntraErrorSpec => ({
    status: 400,
    error: 'invalid_grant',
    code: 50173,
    description:
      'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.',
  }),
  expiredRefreshToken: (): EntraErrorSpec => ({
    status: 400,
    error: 'invalid_grant',
    code: 700082,
    description:
      'The refresh token has expired due to inactivity. The token was issued on a date and was inactive for 90 days.',
  }),
  foreignGrant: (): EntraErrorSpec => ({
    status: 400,
    error: 'invalid_grant',
    code: 70000,
    description: 'Provided grant is invalid or malformed.',
  }),
  badCode: (): EntraErrorSpec => ({
    status: 400,
    error: 'invalid_grant',
    code: 70008,
    description:
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
  }),
  redeemedCode: (): EntraErrorSpec => ({
    status: 400,
    error: 'invalid_grant',
    code: 54005,
    description:
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
  }),
  redirectMismatch: (uri: string): EntraErrorSpec => ({
    status: 400,
    error: 'invalid_grant',
    code: 50011,
    description: `The redirect URI '${uri}' specified in the request does not match the redirect URIs configured for the application.`,
  }),
  pkceMismatch: (): EntraErrorSpec => ({
    status: 400,
    error: 'invalid_grant',
    code: 501481,
    description:
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
  }),
  consent: (app: EntraApp): EntraErrorSpec => ({
    status: 400,
    error: 'invalid_grant',
    code: 65001,
    suberror: 'consent_required',
    description: `The user or administrator has not consented to use the application with ID '${app.clientId}' named '${app.name ?? app.clientId}'. Send an interactive authorization request for this user and resource.`,
  }),
  badScope: (scope: string): EntraErrorSpec => ({
    status: 400,
    error: 'invalid_scope',
    code: 1002012,
    description: `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
  }),
  unavailable: (): EntraErrorSpec => ({
    status: 503,
    error: 'temporarily_unavailable',
    code: 50196,
    description: 'The server temporarily cannot handle the request. Please try again later.',
  }),
};

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1024 * 1024) request.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store, no-cache',
    pragma: 'no-cache',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Finds the shared test CA (global setup), else makes one for this fake in `dir`. */
async function resolveCa(dir: string, given?: CertificateAuthority): Promise<CertificateAuthority> {
  if (given) return given;
  const sharedDir = process.env[TEST_CA_DIR_ENV];
  if (sharedDir && existsSync(join(sharedDir, 'ca.key')))
    return loadCertificateAuthority(sharedDir);
  return createCertificateAuthority(dir, 'Mailroom Entra Fake CA');
}

function trustedByProcess(caPem: string): boolean {
  const extra = process.env.NODE_EXTRA_CA_CERTS;
  if (!extra) return false;
  try {
    return readFileSync(extra, 'utf8').includes(caPem.trim());
  } catch {
    return false;
  }
}

export async function startEntraFake(options: StartEntraFakeOptions = {}): Promise<EntraFake> {
  const dir = await makeTempDir('entra');
  const reaper = armReaper([['rm', '-rf', dir]]);
  const ca = await resolveCa(dir, options.ca);
  const cert = await issueServerCertificate(ca, dir, 'entra');
  const accessTtl = options.accessTokenTtlSeconds ?? 3600;
  const refreshTtl = options.refreshTokenTtlSeconds ?? 90 * 24 * 3600;
  const rotation = options.refreshTokenRotation ?? 'revoke-old';

  const apps = new Map<string, AppState>();
  const refreshTokens = new Map<string, RefreshTokenState>();
  const accessTokens = new Map<string, AccessTokenState>();
  const codes = new Map<string, CodeState>();
  const requests: EntraRequestRecord[] = [];
  let interactiveUser = options.interactiveUser;
  let injected: { remaining: number; spec: EntraErrorSpec } | undefined;
  let delayMs = 0;
  let baseUrl = '';

  const record = (entry: Omit<EntraRequestRecord, 'at'>) =>
    requests.push({ ...entry, at: new Date() });
  const appFor = (clientId: string): AppState | undefined => apps.get(clientId);
  const requireApp = (clientId: string): AppState => {
    const app = appFor(clientId);
    if (!app)
      throw new Error(`Entra fake: app ${clientId} is not registered (call registerApp first)`);
    return app;
  };

  const mintAccessToken = (
    app: AppState | undefined,
    username: string | undefined,
    scope: string,
    ttl = accessTtl,
  ): string => {
    const now = Math.floor(Date.now() / 1000);
    const tid = app?.tenant ?? 'mailroom-test-tenant';
    const header = { typ: 'JWT', alg: 'RS256', kid: 'mailroom-testkit' };
    const payload = {
      aud: scope.split(' ')[0]?.replace(/\/[^/]*$/, '') || 'https://outlook.office.com',
      iss: `https://sts.windows.net/${tid}/`,
      iat: now,
      nbf: now,
      exp: now + ttl,
      appid: app?.clientId,
      tid,
      ...(username
        ? {
            oid: objectId(username),
            upn: username,
            unique_name: username,
            scp: scope.replace(/https:\/\/[^ ]*\//g, ''),
          }
        : { roles: ['IMAP.AccessAsApp'] }),
      uti: base64url(randomBytes(16)),
      ver: '1.0',
    };
    const token = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${base64url(randomBytes(64))}`;
    accessTokens.set(token, {
      clientId: app?.clientId ?? '',
      username,
      scope,
      expiresAt: Date.now() + ttl * 1000,
      revoked: false,
    });
    return token;
  };

  const mintRefreshToken = (clientId: string, username: string, scope: string): string => {
    const token = `0.Amailroom.${base64url(randomBytes(48))}`;
    refreshTokens.set(token, { clientId, username, scope, lastUsed: Date.now(), revoked: false });
    return token;
  };

  const idToken = (app: AppState, username: string): string => {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      aud: app.clientId,
      iss: `${baseUrl}/${app.tenant}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      name: username.split('@')[0],
      oid: objectId(username),
      preferred_username: username,
      sub: base64url(createHash('sha256').update(`${app.clientId}:${username}`).digest()),
      tid: app.tenant,
      ver: '2.0',
    };
    return `${base64url(JSON.stringify({ typ: 'JWT', alg: 'none' }))}.${base64url(JSON.stringify(payload))}.`;
  };

  const delegatedResponse = (app: AppState, username: string, scope: string) => {
    const resourceScopes =
      scope
        .split(' ')
        .filter((s) => s && !OIDC_SCOPES.has(s))
        .join(' ') || DEFAULT_SCOPE;
    return {
      token_type: 'Bearer',
      scope: resourceScopes,
      expires_in: accessTtl,
      ext_expires_in: accessTtl,
      access_token: mintAccessToken(app, username, resourceScopes),
      refresh_token: mintRefreshToken(app.clientId, username, scope),
      id_token: idToken(app, username),
      client_info: base64url(JSON.stringify({ uid: objectId(username), utid: app.tenant })),
    };
  };

  const consentRevoked = (app: AppState, username: string) =>
    app.consentRevoked || app.consentRevokedUsers.has(username.toLowerCase());

  const handleToken = async (
    tenant: string,
    form: URLSearchParams,
  ): Promise<Record<string, unknown>> => {
    if (injected) {
      injected.remaining -= 1;
      const spec = injected.spec;
      if (injected.remaining <= 0) injected = undefined;
      throw new EntraError(spec);
    }
    const grantType = form.get('grant_type');
    if (!grantType) throw new EntraError(errors.missingParameter('grant_type'));
    const clientId = form.get('client_id');
    if (!clientId) throw new EntraError(errors.missingParameter('client_id'));
    const app = appFor(clientId);
    const knownTenant = [...apps.values()].some((a) => a.tenant === tenant);
    if (!knownTenant && tenant !== 'common' && tenant !== 'organizations')
      throw new EntraError(errors.unknownTenant(tenant));
    if (!app || (tenant !== app.tenant && tenant !== 'common' && tenant !== 'organizations')) {
      throw new EntraError(errors.unknownClient(clientId, tenant));
    }
    const secret = form.get('client_secret');
    if (!secret)
      throw new EntraError(errors.missingParameter("client_assertion' or 'client_secret"));
    if (secret !== app.clientSecret) throw new EntraError(errors.wrongSecret(clientId));
    if (app.secretExpired) throw new EntraError(errors.expiredSecret(clientId));
    const scope = form.get('scope') ?? '';

    if (grantType === 'client_credentials') {
      if (!scope) throw new EntraError(errors.missingParameter('scope'));
      if (!scope.split(' ').every((s) => s.endsWith('/.default')))
        throw new EntraError(errors.badScope(scope));
      if (app.consentRevoked) throw new EntraError(errors.consent(app));
      return {
        token_type: 'Bearer',
        expires_in: accessTtl,
        ext_expires_in: accessTtl,
        access_token: mintAccessToken(app, app.appMailbox, scope),
      };
    }
    if (grantType === 'refresh_token') {
      const token = form.get('refresh_token');
      if (!token) throw new EntraError(errors.missingParameter('refresh_token'));
      const state = refreshTokens.get(token);
      if (!state) throw new EntraError(errors.badRefreshToken());
      if (state.clientId !== clientId) throw new EntraError(errors.foreignGrant());
      if (state.revoked) throw new EntraError(errors.revokedRefreshToken());
      if (Date.now() - state.lastUsed > refreshTtl * 1000)
        throw new EntraError(errors.expiredRefreshToken());
      if (consentRevoked(app, state.username)) throw new EntraError(errors.consent(app));
      state.lastUsed = Date.now();
      if (rotation === 'revoke-old') state.revoked = true;
      return delegatedResponse(app, state.username, scope || state.scope);
    }
    if (grantType === 'authorization_code') {
      const code = form.get('code');
      if (!code) throw new EntraError(errors.missingParameter('code'));
      const state = codes.get(code);
      if (!state || state.clientId !== clientId || state.expiresAt < Date.now())
        throw new EntraError(errors.badCode());
      if (state.redeemed) throw new EntraError(errors.redeemedCode());
      const redirectUri = form.get('redirect_uri');
      if (!redirectUri) throw new EntraError(errors.missingParameter('redirect_uri'));
      if (state.redirectUri !== undefined && state.redirectUri !== redirectUri)
        throw new EntraError(errors.redirectMismatch(redirectUri));
      if (state.codeChallenge) {
        const verifier = form.get('code_verifier') ?? '';
        const computed =
          state.codeChallengeMethod === 'plain'
            ? verifier
            : base64url(createHash('sha256').update(verifier).digest());
        if (computed !== state.codeChallenge) throw new EntraError(errors.pkceMismatch());
      }
      if (consentRevoked(app, state.username)) throw new EntraError(errors.consent(app));
      state.redeemed = true;
      return delegatedResponse(app, state.username, scope || state.scope);
    }
    throw new EntraError(errors.unsupportedGrant(grantType));
  };

  const issueCode = (input: Parameters<EntraFake['issueAuthorizationCode']>[0]): string => {
    requireApp(input.clientId);
    const code = `1.Amailroom.${base64url(randomBytes(32))}`;
    codes.set(code, {
      clientId: input.clientId,
      username: input.username,
      scope: input.scope ?? `${DEFAULT_SCOPE} offline_access openid profile`,
      ...(input.redirectUri ? { redirectUri: input.redirectUri } : {}),
      ...(input.codeChallenge
        ? {
            codeChallenge: input.codeChallenge,
            codeChallengeMethod: input.codeChallengeMethod ?? 'S256',
          }
        : {}),
      expiresAt: Date.now() + 10 * 60_000,
      redeemed: false,
    });
    return code;
  };

  const metadata = (tenant: string) => ({
    token_endpoint: `${baseUrl}/${tenant}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: [
      'client_secret_post',
      'private_key_jwt',
      'client_secret_basic',
    ],
    jwks_uri: `${baseUrl}/${tenant}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${baseUrl}/${tenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${baseUrl}/oidc/userinfo`,
    authorization_endpoint: `${baseUrl}/${tenant}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${baseUrl}/${tenant}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${baseUrl}/${tenant}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'oid',
    ],
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
  });

  const httpsServer = createHttpsServer(
    { key: cert.keyPem, cert: cert.certPem },
    (request, response) => {
      void (async () => {
        const url = new URL(request.url ?? '/', baseUrl);
        const tokenMatch = /^\/([^/]+)\/oauth2\/v2\.0\/token\/?$/.exec(url.pathname);
        if (tokenMatch && request.method === 'POST') {
          const tenant = decodeURIComponent(tokenMatch[1]!);
          const form = new URLSearchParams(await readBody(request));
          const base = {
            endpoint: 'token' as const,
            tenant,
            ...(form.get('grant_type') ? { grantType: form.get('grant_type')! } : {}),
            ...(form.get('client_id') ? { clientId: form.get('client_id')! } : {}),
          };
          if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
          try {
            const body = await handleToken(tenant, form);
            record({ ...base, status: 200 });
            sendJson(response, 200, body);
          } catch (error) {
            if (!(error instanceof EntraError)) throw error;
            record({
              ...base,
              status: error.spec.status,
              error: error.spec.error,
              errorCode: error.spec.code,
            });
            sendJson(response, error.spec.status, errorBody(error.spec));
          }
          return;
        }
        const authorizeMatch = /^\/([^/]+)\/oauth2\/v2\.0\/authorize\/?$/.exec(url.pathname);
        if (authorizeMatch && request.method === 'GET') {
          const params = url.searchParams;
          const clientId = params.get('client_id') ?? '';
          const redirectUri = params.get('redirect_uri') ?? '';
          const app = appFor(clientId);
          const tenant = decodeURIComponent(authorizeMatch[1]!);
          if (
            !app ||
            !redirectUri ||
            (app.redirectUris && !app.redirectUris.includes(redirectUri))
          ) {
            const spec = !app
              ? errors.unknownClient(clientId, tenant)
              : errors.redirectMismatch(redirectUri);
            record({
              endpoint: 'authorize',
              tenant,
              clientId,
              status: 400,
              error: spec.error,
              errorCode: spec.code,
            });
            sendJson(response, 400, errorBody(spec));
            return;
          }
          const target = new URL(redirectUri);
          const state = params.get('state');
          if (!interactiveUser || consentRevoked(app, interactiveUser)) {
            const spec = interactiveUser
              ? errors.consent(app)
              : {
                  ...errors.badCode(),
                  error: 'login_required',
                  code: 50058,
                  description: 'A silent sign-in request was sent but no user is signed in.',
                };
            target.searchParams.set(
              'error',
              spec.error === 'invalid_grant' ? 'consent_required' : spec.error,
            );
            target.searchParams.set('error_description', `AADSTS${spec.code}: ${spec.description}`);
            record({
              endpoint: 'authorize',
              tenant,
              clientId,
              status: 302,
              error: spec.error,
              errorCode: spec.code,
            });
          } else {
            const challenge = params.get('code_challenge');
            const method = params.get('code_challenge_method');
            target.searchParams.set(
              'code',
              issueCode({
                clientId,
                username: interactiveUser,
                scope: params.get('scope') ?? DEFAULT_SCOPE,
                redirectUri,
                ...(challenge
                  ? {
                      codeChallenge: challenge,
                      codeChallengeMethod: method === 'plain' ? 'plain' : 'S256',
                    }
                  : {}),
              }),
            );
            target.searchParams.set(
              'client_info',
              base64url(JSON.stringify({ uid: objectId(interactiveUser), utid: app.tenant })),
            );
            target.searchParams.set('session_state', randomUUID());
            record({ endpoint: 'authorize', tenant, clientId, status: 302 });
          }
          if (state) target.searchParams.set('state', state);
          response.writeHead(302, { location: target.toString() });
          response.end();
          return;
        }
        const openid = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration\/?$/.exec(
          url.pathname,
        );
        if (openid && request.method === 'GET') {
          record({ endpoint: 'metadata', tenant: decodeURIComponent(openid[1]!), status: 200 });
          sendJson(response, 200, metadata(decodeURIComponent(openid[1]!)));
          return;
        }
        if (url.pathname === '/common/discovery/instance' && request.method === 'GET') {
          record({ endpoint: 'metadata', status: 200 });
          sendJson(response, 200, JSON.parse(cloudDiscovery('common')) as unknown);
          return;
        }
        sendJson(response, 404, { error: 'not_found' });
      })().catch((error: unknown) => {
        sendJson(response, 500, { error: 'server_error', error_description: String(error) });
      });
    },
  );

  const httpServer = createHttpServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (url.pathname !== '/introspect' || request.method !== 'POST') {
        sendJson(response, 404, { error: 'not_found' });
        return;
      }
      const form = new URLSearchParams(await readBody(request));
      const token = form.get('token') ?? '';
      const state = accessTokens.get(token);
      const live =
        state !== undefined &&
        !state.revoked &&
        state.expiresAt > Date.now() &&
        state.username !== undefined;
      record({
        endpoint: 'introspect',
        status: 200,
        ...(state?.clientId ? { clientId: state.clientId } : {}),
        ...(live ? {} : { error: 'inactive' }),
      });
      sendJson(
        response,
        200,
        live
          ? {
              active: true,
              username: state.username,
              scope: state.scope,
              client_id: state.clientId,
              token_type: 'Bearer',
              exp: Math.floor(state.expiresAt / 1000),
            }
          : { active: false },
      );
    })().catch(() => sendJson(response, 500, { error: 'server_error' }));
  });

  const listen = (server: typeof httpServer | typeof httpsServer) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
    });
  const [httpsPort, httpPort] = await Promise.all([listen(httpsServer), listen(httpServer)]);
  const host = `127.0.0.1:${httpsPort}`;
  baseUrl = `https://${host}`;

  function cloudDiscovery(tenant: string): string {
    return JSON.stringify({
      tenant_discovery_endpoint: `${baseUrl}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  }

  const caPem = ca.certPem;
  return {
    baseUrl,
    host,
    introspectionUrl: `http://127.0.0.1:${httpPort}/introspect`,
    caPem,
    caPath: ca.certPath,
    caTrustedByProcess: trustedByProcess(caPem),
    requests,
    authority: (tenant) => `${baseUrl}/${tenant}`,
    tokenEndpoint: (tenant) => `${baseUrl}/${tenant}/oauth2/v2.0/token`,
    authorizeEndpoint: (tenant) => `${baseUrl}/${tenant}/oauth2/v2.0/authorize`,
    msalConfig: (tenant) => ({
      authority: `${baseUrl}/${tenant}`,
      knownAuthorities: [host],
      authorityMetadata: JSON.stringify(metadata(tenant)),
      cloudDiscoveryMetadata: cloudDiscovery(tenant),
    }),
    registerApp(app) {
      apps.set(app.clientId, {
        ...app,
        secretExpired: false,
        consentRevoked: false,
        consentRevokedUsers: new Set(),
      });
    },
    issueAuthorizationCode: issueCode,
    issueRefreshToken(input) {
      requireApp(input.clientId);
      return mintRefreshToken(
        input.clientId,
        input.username,
        input.scope ?? `${DEFAULT_SCOPE} offline_access`,
      );
    },
    issueAccessToken(input) {
      const app = input.clientId ? requireApp(input.clientId) : undefined;
      return mintAccessToken(
        app,
        input.username,
        input.scope ?? DEFAULT_SCOPE,
        input.ttlSeconds ?? accessTtl,
      );
    },
    isAccessTokenValid(token, username) {
      const state = accessTokens.get(token);
      if (!state || state.revoked || state.expiresAt <= Date.now()) return false;
      return username === undefined || state.username?.toLowerCase() === username.toLowerCase();
    },
    signIn(username) {
      interactiveUser = username;
    },
    revokeRefreshToken(token) {
      const state = refreshTokens.get(token);
      if (state) state.revoked = true;
    },
    revokeAll(username) {
      const matches = (user: string | undefined) =>
        username === undefined || user?.toLowerCase() === username.toLowerCase();
      for (const state of refreshTokens.values()) if (matches(state.username)) state.revoked = true;
      for (const state of accessTokens.values()) if (matches(state.username)) state.revoked = true;
    },
    expireAccessTokens() {
      for (const state of accessTokens.values())
        state.expiresAt = Math.min(state.expiresAt, Date.now() - 1);
    },
    expireClientSecret(clientId) {
      requireApp(clientId).secretExpired = true;
    },
    setClientSecret(clientId, clientSecret) {
      const app = requireApp(clientId);
      app.clientSecret = clientSecret;
      app.secretExpired = false;
    },
    setConsentRevoked(clientId, revoked, username) {
      const app = requireApp(clientId);
      if (username === undefined) app.consentRevoked = revoked;
      else if (revoked) app.consentRevokedUsers.add(username.toLowerCase());
      else app.consentRevokedUsers.delete(username.toLowerCase());
    },
    failNext(times = 1, spec = errors.unavailable()) {
      injected = { remaining: times, spec };
    },
    setResponseDelay(ms) {
      delayMs = ms;
    },
    count(filter = {}) {
      return requests.filter((entry) =>
        Object.entries(filter).every(
          ([key, value]) => entry[key as keyof EntraRequestRecord] === value,
        ),
      ).length;
    },
    async stop() {
      reaper.disarm();
      httpsServer.closeAllConnections();
      httpServer.closeAllConnections();
      await Promise.all([
        new Promise((resolve) => httpsServer.close(resolve)),
        new Promise((resolve) => httpServer.close(resolve)),
      ]);
      await removeDir(dir);
    },
  };
}
