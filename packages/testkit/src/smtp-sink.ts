/*
 * A local SMTP server that accepts and records mail, for tests of outgoing mail: plain
 * or implicit TLS, STARTTLS with a self-signed certificate, AUTH PLAIN / LOGIN / XOAUTH2
 * against configured credentials, and scripted rejections. It never relays anything:
 * every message ends in `messages`, and it listens on 127.0.0.1 only.
 */
import type { AddressInfo } from 'node:net';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server';
import { createSelfSignedCertificate } from './tls';
import { makeTempDir, removeDir } from './temp-dir';

export interface StartSmtpSinkOptions {
  /** AUTH PLAIN / LOGIN credentials: `{ user: password }`. */
  users?: Record<string, string>;
  /** XOAUTH2: accepted access tokens and the user each belongs to: `{ token: user }`. */
  accessTokens?: Record<string, string>;
  /** XOAUTH2: custom check (e.g. `(user, token) => entra.isAccessTokenValid(token, user)`). */
  validateAccessToken?: (user: string, accessToken: string) => boolean | Promise<boolean>;
  /** Accept mail without AUTH (default: only when no credentials are configured). */
  authOptional?: boolean;
  /** Implicit TLS on connect instead of plain + STARTTLS. */
  secure?: boolean;
  /** Largest accepted message in bytes (advertised as SIZE). */
  size?: number;
}

export interface ReceivedMessage {
  from: string;
  to: string[];
  raw: Buffer;
  /** The authenticated user, if the client logged in. */
  user?: string;
  /** TLS was in use (implicit or after STARTTLS). */
  secure: boolean;
  receivedAt: Date;
}

export interface SmtpAuthAttempt {
  method: string;
  user: string;
  success: boolean;
}

export type SmtpStage = 'auth' | 'mail' | 'rcpt' | 'data';

export interface SmtpSink {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly secure: boolean;
  /** PEM of the self-signed certificate (CN=localhost, SAN localhost + 127.0.0.1). */
  readonly certPem: string;
  readonly messages: readonly ReceivedMessage[];
  readonly authAttempts: readonly SmtpAuthAttempt[];
  /** Resolves once at least `count` messages arrived in total. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  /** The next `times` commands of `stage` fail with `code message`, e.g. (`'rcpt'`, 550, '5.1.1 User unknown'). */
  rejectNext(stage: SmtpStage, code?: number, message?: string, times?: number): void;
  /** Forgets received messages and auth attempts. */
  clear(): void;
  /** nodemailer `createTransport` options for this sink (trusts its certificate). */
  transportOptions(
    auth?: { user: string; pass: string } | { user: string; accessToken: string },
  ): SMTPTransport.Options;
  stop(): Promise<void>;
}

type Rejection = { code: number; message: string; remaining: number };

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtpSink(options: StartSmtpSinkOptions = {}): Promise<SmtpSink> {
  const dir = await makeTempDir('smtp');
  let cert;
  try {
    cert = await createSelfSignedCertificate(dir, 'smtp');
  } finally {
    await removeDir(dir); // the PEMs are kept in memory; nothing stays on disk
  }
  const hasCredentials =
    Object.keys(options.users ?? {}).length > 0 ||
    Object.keys(options.accessTokens ?? {}).length > 0 ||
    options.validateAccessToken !== undefined;
  const messages: ReceivedMessage[] = [];
  const authAttempts: SmtpAuthAttempt[] = [];
  const rejections = new Map<SmtpStage, Rejection>();
  const waiters = new Set<() => void>();

  const takeRejection = (stage: SmtpStage): Error | undefined => {
    const rejection = rejections.get(stage);
    if (!rejection) return undefined;
    rejection.remaining -= 1;
    if (rejection.remaining <= 0) rejections.delete(stage);
    return smtpError(rejection.code, rejection.message);
  };

  const checkAuth = async (auth: SMTPServerAuthentication): Promise<boolean> => {
    const user = auth.username ?? '';
    if (auth.method === 'XOAUTH2') {
      const token = auth.accessToken ?? '';
      if (options.validateAccessToken) return options.validateAccessToken(user, token);
      return options.accessTokens?.[token] === user;
    }
    const expected = options.users?.[user];
    return expected !== undefined && expected === auth.password;
  };

  const server = new SMTPServer({
    secure: options.secure ?? false,
    key: cert.keyPem,
    cert: cert.certPem,
    name: 'smtp-sink.mailroom.test',
    banner: 'Mailroom testkit SMTP sink',
    authMethods: ['PLAIN', 'LOGIN', 'XOAUTH2'],
    authOptional: options.authOptional ?? !hasCredentials,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    closeTimeout: 500,
    ...(options.size ? { size: options.size } : {}),
    logger: false,
    onAuth(auth, _session, callback) {
      const rejected = takeRejection('auth');
      if (rejected) return callback(rejected);
      checkAuth(auth).then(
        (ok) => {
          authAttempts.push({ method: auth.method, user: auth.username ?? '', success: ok });
          if (ok) return callback(null, { user: auth.username });
          if (auth.method === 'XOAUTH2') {
            return callback(null, {
              data: {
                status: '401',
                schemes: 'bearer',
                scope: 'https://outlook.office.com/SMTP.Send',
              },
            });
          }
          callback(smtpError(535, '5.7.8 Authentication credentials invalid'));
        },
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
    onMailFrom(_address, _session, callback) {
      callback(takeRejection('mail'));
    },
    onRcptTo(_address, _session, callback) {
      callback(takeRejection('rcpt'));
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        const rejected = takeRejection('data');
        if (rejected) return callback(rejected);
        if (stream.sizeExceeded) return callback(smtpError(552, '5.3.4 Message too big'));
        const mailFrom = session.envelope.mailFrom;
        messages.push({
          from: mailFrom ? mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks),
          ...(session.user ? { user: String(session.user) } : {}),
          secure: session.secure,
          receivedAt: new Date(),
        });
        for (const wake of waiters) wake();
        callback(null);
      });
    },
  });
  server.on('error', () => {}); // per-connection errors (client resets) are not the test's concern

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  const secure = options.secure ?? false;

  return {
    host: '127.0.0.1',
    port,
    secure,
    certPem: cert.certPem,
    messages,
    authAttempts,
    waitForMessages(count, timeoutMs = 5_000) {
      if (messages.length >= count) return Promise.resolve([...messages]);
      return new Promise((resolve, reject) => {
        const wake = () => {
          if (messages.length < count) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve([...messages]);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(
            new Error(
              `SMTP sink received ${messages.length} of ${count} messages in ${timeoutMs} ms`,
            ),
          );
        }, timeoutMs);
        waiters.add(wake);
      });
    },
    rejectNext(stage, code = 550, message = '5.7.1 Rejected by test', times = 1) {
      rejections.set(stage, { code, message, remaining: times });
    },
    clear() {
      messages.length = 0;
      authAttempts.length = 0;
    },
    transportOptions(auth) {
      return {
        host: '127.0.0.1',
        port,
        secure,
        tls: { ca: [cert.certPem] },
        ...(auth
          ? {
              auth:
                'accessToken' in auth
                  ? { type: 'OAuth2', user: auth.user, accessToken: auth.accessToken }
                  : { user: auth.user, pass: auth.pass },
            }
          : {}),
      };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
