/**
 * Opens one authenticated IMAP session for a mailbox: resolve, (token), TCP, TLS, greeting and
 * login, all inside the mailbox's connection timeout. Every failure leaves as a `mail.*`
 * MailroomError with the phase it happened in; the socket of a failed attempt is destroyed.
 * It does not select folders or retry: the ingestion engine decides what happens next.
 */
import dns, { type LookupAddress } from 'node:dns';
import net from 'node:net';
import { ImapFlow } from 'imapflow';
import type { MailroomError } from '@mailroom/domain';
import { createMailError } from '../errors/mail-errors';
import { toMailError, type MailErrorContext } from '../errors/to-mail-error';
import {
  createImapFlowLogger,
  createRedactingLogger,
  silentLogger,
  type ImapLogEntry,
  type MailLogger,
} from '../logging/redacting-logger';
import { ConnectionTrace } from './connection-trace';
import { xoauth2Payload, type AccessToken, type ImapCredentials } from './credentials';
import { startDeadline, type Deadline } from './deadline';
import { createImapTransport } from './imap-transport';
import { tlsPolicyFor, type ImapEndpoint } from './tls-policy';

export interface OpenSessionOptions {
  logger?: MailLogger;
  /** Silence allowed on an established session (imapflow socketTimeout). Default 5 minutes. */
  sessionSocketTimeoutMs?: number;
  /** Pass one in to read the phase timings afterwards (Test Connection does). */
  trace?: ConnectionTrace;
  /** DNS lookup; defaults to the system resolver (dns.lookup, all addresses). */
  lookup?: (host: string) => Promise<LookupAddress[]>;
  /** Sent with the IMAP ID command. */
  clientName?: string;
}

export interface ImapSession {
  client: ImapFlow;
  endpoint: ImapEndpoint;
  trace: ConnectionTrace;
  /** Capability names the server announced after login, upper-case. */
  capabilities(): Set<string>;
  /** Logs out (bounded wait) and closes the socket. Safe to call twice. */
  close(): Promise<void>;
  /** Settles when the connection ends: null when closed by us, the mapped error otherwise. */
  closed: Promise<MailroomError | null>;
}

const DEFAULT_SESSION_SOCKET_TIMEOUT_MS = 5 * 60 * 1000;
const LOGOUT_WAIT_MS = 2000;

const systemLookup = (host: string): Promise<LookupAddress[]> =>
  dns.promises.lookup(host, { all: true });

/** imapflow keeps its inactivity limit in an undeclared field; raising it after login keeps a long session alive. */
const setSocketTimeout = (client: ImapFlow, ms: number): void => {
  const internals = client as unknown as {
    socketTimeout?: number;
    socket?: { setTimeout?: (ms: number) => unknown };
  };
  internals.socketTimeout = ms;
  internals.socket?.setTimeout?.(ms);
};

const isAuthRejection = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  ((error as { authenticationFailed?: unknown }).authenticationFailed === true ||
    (error as { serverResponseCode?: unknown }).serverResponseCode === 'AUTHENTICATIONFAILED');

export const openImapSession = async (
  endpoint: ImapEndpoint,
  credentials: ImapCredentials,
  options: OpenSessionOptions = {},
): Promise<ImapSession> => {
  const trace = options.trace ?? new ConnectionTrace();
  const logger = options.logger ?? silentLogger;
  const secrets = new Set<string>();
  if (credentials.type === 'password') secrets.add(credentials.password);
  const secretList = () => secrets;
  const context: MailErrorContext = {
    phase: 'configure',
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.username,
    tls: endpoint.tls,
    timeoutMs: endpoint.connectionTimeoutMs,
    authMethod: credentials.type,
    secrets,
  };
  const log = createRedactingLogger(logger, secretList, {
    component: 'mail.session',
    host: endpoint.host,
    port: endpoint.port,
    user: endpoint.username,
  });

  if (credentials.type === 'password' && credentials.password.length === 0) {
    throw createMailError(
      'invalid_configuration',
      `No password is stored for "${endpoint.username}". Enter the mailbox password.`,
      { phase: 'configure' },
    );
  }

  // Checks a pasted PEM before anything is started: a configuration error, not a phase failure.
  const policy = tlsPolicyFor(endpoint);

  let client: ImapFlow | null = null;
  const deadline: Deadline = startDeadline(endpoint.connectionTimeoutMs, () => {
    client?.close();
    return toMailError(Object.assign(new Error('deadline'), { code: 'ETIMEOUT' }), {
      ...context,
      phase: trace.phase,
    });
  });

  const observe = (entry: ImapLogEntry): void => {
    if (entry.src === 's' && trace.phase === 'greeting') {
      trace.greeting = typeof entry.msg === 'string' ? entry.msg.slice(0, 200) : null;
      trace.enter('authenticate');
    }
  };

  const connectWith = async (token: AccessToken | null): Promise<ImapFlow> => {
    const attempt = new ImapFlow({
      host: endpoint.host,
      port: endpoint.port,
      secure: policy.mode === 'implicit',
      // secure:false alone upgrades whenever STARTTLS is offered: make the choice explicit.
      ...(policy.mode === 'implicit' ? {} : { doSTARTTLS: policy.mode === 'starttls' }),
      transport: createImapTransport({ policy, trace, ...(addresses ? { addresses } : {}) }),
      auth:
        credentials.type === 'password'
          ? { user: endpoint.username, pass: credentials.password }
          : { user: endpoint.username, accessToken: token?.accessToken ?? '' },
      logger: createImapFlowLogger(logger, secretList, observe, {
        host: endpoint.host,
        user: endpoint.username,
      }),
      connectionTimeout: endpoint.connectionTimeoutMs,
      greetingTimeout: endpoint.connectionTimeoutMs,
      socketTimeout: endpoint.connectionTimeoutMs,
      disableAutoIdle: true,
      clientInfo: { name: options.clientName ?? 'Mailroom' },
    });
    // imapflow emits 'error' for failures outside a command; unheard, it would crash the process.
    attempt.on('error', (error: unknown) => {
      log.warn({ err: error }, 'IMAP connection error');
    });
    client = attempt;
    await deadline.race(attempt.connect());
    return attempt;
  };

  let addresses: LookupAddress[] | undefined;
  try {
    trace.enter('resolve', endpoint.host);
    if (net.isIP(endpoint.host) === 0) {
      addresses = await deadline.race((options.lookup ?? systemLookup)(endpoint.host));
      trace.describe(`${endpoint.host} → ${addresses.map((entry) => entry.address).join(', ')}`);
    }

    let token: AccessToken | null = null;
    if (credentials.type === 'oauth2') {
      trace.enter('token');
      token = await deadline.race(credentials.tokens.getAccessToken());
      secrets.add(token.accessToken).add(xoauth2Payload(endpoint.username, token.accessToken));
      trace.describe(token.fromCache ? 'cached access token' : 'new access token');
    }

    let session: ImapFlow;
    try {
      session = await connectWith(token);
    } catch (error) {
      if (
        credentials.type !== 'oauth2' ||
        token === null ||
        !token.fromCache ||
        !isAuthRejection(error)
      ) {
        throw error;
      }
      // A cached token the server refuses may have been revoked early: get a new one once.
      log.info({}, 'server refused the cached access token; requesting a new one');
      trace.enter('token', 'refreshed after the server refused the cached token');
      token = await deadline.race(credentials.tokens.getAccessToken({ forceRefresh: true }));
      secrets.add(token.accessToken).add(xoauth2Payload(endpoint.username, token.accessToken));
      session = await connectWith(token);
    }
    trace.end();
    setSocketTimeout(session, options.sessionSocketTimeoutMs ?? DEFAULT_SESSION_SOCKET_TIMEOUT_MS);
    return sessionFrom(session, endpoint, trace, context);
  } catch (error) {
    const mailError = toMailError(error, { ...context, phase: trace.phase });
    trace.end();
    (client as ImapFlow | null)?.close();
    log.warn({ code: mailError.code, phase: mailError.details.phase }, mailError.message);
    throw mailError;
  } finally {
    deadline.clear();
  }
};

const sessionFrom = (
  client: ImapFlow,
  endpoint: ImapEndpoint,
  trace: ConnectionTrace,
  context: MailErrorContext,
): ImapSession => {
  let lastError: unknown = null;
  client.on('error', (error: unknown) => {
    lastError = error;
  });
  const closed = new Promise<MailroomError | null>((resolve) => {
    client.once('close', () => {
      resolve(
        client.closedByClient
          ? null
          : toMailError(lastError ?? Object.assign(new Error('closed'), { code: 'NoConnection' }), {
              ...context,
              phase: 'idle',
            }),
      );
    });
  });
  let closing: Promise<void> | null = null;
  return {
    client,
    endpoint,
    trace,
    capabilities: () => new Set([...client.capabilities.keys()].map((name) => name.toUpperCase())),
    closed,
    close: () => {
      closing ??= (async () => {
        if (client.usable) {
          const timer = new Promise<void>((resolve) => setTimeout(resolve, LOGOUT_WAIT_MS).unref());
          await Promise.race([client.logout().catch(() => {}), timer]);
        }
        client.close();
      })();
      return closing;
    },
  };
};
