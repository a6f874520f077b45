/**
 * Test Connection: the real steps a mailbox's sessions take (resolve, token, TCP, TLS,
 * greeting, login, folder list) run once against the entered settings, each reported with its
 * result and time, plus the capabilities and folders the admin UI needs. It works on unsaved
 * settings (objects in, nothing stored) and never throws for a connection problem: a failure is
 * the report's `error`, with a `mail.*` code and a message free of secrets.
 */
import type { LookupAddress } from 'node:dns';
import type { AuthType, MailboxSecrets, OAuthSettings } from '@mailroom/domain';
import { ConnectionTrace, type TlsSessionInfo } from '../connect/connection-trace';
import type { AccessTokenSource, ImapCredentials } from '../connect/credentials';
import { startDeadline } from '../connect/deadline';
import { openImapSession, type ImapSession } from '../connect/open-session';
import type { ImapEndpoint } from '../connect/tls-policy';
import { createMailError, type MailPhase } from '../errors/mail-errors';
import { toMailError } from '../errors/to-mail-error';
import { listFolders, type FolderInfo } from '../fetch/folders';
import type { MailLogger } from '../logging/redacting-logger';
import { createMemoryTokenCacheStore, type TokenCacheStore } from '../oauth/token-cache-store';
import { createTokenProvider } from '../oauth/token-provider';

export const reportedCapabilities = [
  'IDLE',
  'CONDSTORE',
  'UIDPLUS',
  'MOVE',
  'SPECIAL-USE',
] as const;
export type ReportedCapability = (typeof reportedCapabilities)[number];

export interface TestConnectionInput {
  connection: ImapEndpoint & { authType: AuthType };
  secrets: Pick<MailboxSecrets, 'password' | 'clientSecret' | 'refreshToken'>;
  /** Required for authType `oauth2`. */
  oauth?: OAuthSettings;
  /**
   * The token cache to use for OAuth: a saved mailbox's store, or for an unsaved one the store
   * its "Sign in with Microsoft" wrote to. Default: an empty in-memory store (pasted refresh
   * token and client credentials need nothing else).
   */
  tokenStore?: TokenCacheStore;
  /** Use an existing provider (a saved mailbox's) instead of building one. */
  tokens?: AccessTokenSource;
  tokenEndpointCa?: string;
  logger?: MailLogger;
  lookup?: (host: string) => Promise<LookupAddress[]>;
}

export interface TestConnectionStep {
  name: MailPhase;
  ok: boolean;
  ms: number;
  detail: string;
}

export interface TestConnectionReport {
  ok: boolean;
  steps: TestConnectionStep[];
  capabilities: Record<ReportedCapability, boolean>;
  folders: FolderInfo[];
  tls: TlsSessionInfo | null;
  greeting: string | null;
  totalMs: number;
  error?: { code: string; message: string; phase: MailPhase };
}

const credentialsFor = (input: TestConnectionInput): ImapCredentials => {
  const { connection } = input;
  if (connection.authType === 'password') {
    if (!input.secrets.password) {
      throw createMailError(
        'invalid_configuration',
        `Enter the password of "${connection.username}" to test the connection.`,
        { phase: 'configure', field: 'secrets.password' },
      );
    }
    return { type: 'password', password: input.secrets.password };
  }
  if (input.tokens) return { type: 'oauth2', tokens: input.tokens };
  if (!input.oauth) {
    throw createMailError(
      'invalid_configuration',
      'OAuth2 needs the Microsoft settings (tenant id, client id, scope). Fill in the OAuth section.',
      { phase: 'configure', field: 'oauth' },
    );
  }
  return {
    type: 'oauth2',
    tokens: createTokenProvider({
      settings: input.oauth,
      username: connection.username,
      secrets: input.secrets,
      store: input.tokenStore ?? createMemoryTokenCacheStore(),
      ...(input.logger ? { logger: input.logger } : {}),
      ...(input.tokenEndpointCa ? { tokenEndpointCa: input.tokenEndpointCa } : {}),
      requestTimeoutMs: connection.connectionTimeoutMs,
    }),
  };
};

const stepDetail = (
  phase: MailPhase,
  detail: string | undefined,
  trace: ConnectionTrace,
  input: TestConnectionInput,
): string => {
  switch (phase) {
    case 'tls':
      return trace.tls === null
        ? (detail ?? 'TLS handshake')
        : `${detail === 'STARTTLS' ? 'STARTTLS, ' : ''}${trace.tls.protocol ?? 'TLS'} ${trace.tls.cipher ?? ''}, certificate ${trace.tls.trustedBy === 'ca' ? 'trusted' : 'accepted by the self-signed exception'}`.replace(
            /\s+,/g,
            ',',
          );
    case 'greeting':
      return trace.greeting ?? 'server greeting received';
    case 'authenticate':
      return `${input.connection.authType === 'oauth2' ? 'XOAUTH2' : 'password'} login as ${input.connection.username}`;
    default:
      return detail ?? '';
  }
};

export const testConnection = async (input: TestConnectionInput): Promise<TestConnectionReport> => {
  const trace = new ConnectionTrace();
  const started = performance.now();
  const capabilities = Object.fromEntries(
    reportedCapabilities.map((name) => [name, false]),
  ) as Record<ReportedCapability, boolean>;
  let folders: FolderInfo[] = [];
  let session: ImapSession | null = null;
  let failure: ReturnType<typeof toMailError> | null = null;

  try {
    const credentials = credentialsFor(input);
    session = await openImapSession(input.connection, credentials, {
      trace,
      ...(input.logger ? { logger: input.logger } : {}),
      ...(input.lookup ? { lookup: input.lookup } : {}),
    });
    const announced = session.capabilities();
    for (const name of reportedCapabilities) capabilities[name] = announced.has(name);

    trace.enter('list_folders');
    const listing = session.client;
    const deadline = startDeadline(input.connection.connectionTimeoutMs, () => {
      listing.close();
      return toMailError(Object.assign(new Error('deadline'), { code: 'ETIMEOUT' }), {
        phase: 'list_folders',
        host: input.connection.host,
        port: input.connection.port,
        timeoutMs: input.connection.connectionTimeoutMs,
      });
    });
    try {
      folders = await deadline.race(listFolders(listing, { withCounts: true }));
    } finally {
      deadline.clear();
    }
    trace.describe(`${folders.length} folder${folders.length === 1 ? '' : 's'}`);
    trace.end();
  } catch (error) {
    failure = toMailError(error, {
      phase: trace.phase,
      host: input.connection.host,
      port: input.connection.port,
      username: input.connection.username,
      tls: input.connection.tls,
      timeoutMs: input.connection.connectionTimeoutMs,
      authMethod: input.connection.authType,
      secrets: [input.secrets.password, input.secrets.clientSecret, input.secrets.refreshToken],
    });
    trace.end();
  } finally {
    await session?.close();
  }

  const failedPhase =
    failure === null ? null : ((failure.details.phase as MailPhase | undefined) ?? trace.phase);
  const steps: TestConnectionStep[] = trace.spans.map((span, index) => {
    const last = index === trace.spans.length - 1;
    const failed = failure !== null && last;
    return {
      name: span.phase,
      ok: !failed,
      ms: trace.elapsed(span),
      detail:
        failed && failure ? failure.message : stepDetail(span.phase, span.detail, trace, input),
    };
  });
  if (failure !== null && steps.length === 0) {
    steps.push({ name: failedPhase ?? 'configure', ok: false, ms: 0, detail: failure.message });
  }

  return {
    ok: failure === null,
    steps,
    capabilities,
    folders,
    tls: trace.tls,
    greeting: trace.greeting,
    totalMs: Math.round(performance.now() - started),
    ...(failure === null
      ? {}
      : {
          error: {
            code: failure.code,
            message: failure.message,
            phase: failedPhase ?? trace.phase,
          },
        }),
  };
};
