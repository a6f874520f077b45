/**
 * Loggers for mail sessions. Callers pass any pino-compatible logger; imapflow (and msal) get a
 * wrapper that drops client lines of authentication commands, scrubs every value against the
 * session's secrets, and lets the session observe protocol progress (greeting, login) for its
 * phase timings. Nothing that reaches the caller's logger can contain a password or a token.
 */
import type { Logger as ImapFlowLogger } from 'imapflow';
import { createScrubber, scrubValue, type Scrub } from '../errors/secret-scrubber';

type LogFn = (obj: object, msg?: string) => void;

/** The subset of pino's API this package uses; a pino logger satisfies it. */
export interface MailLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  trace?: LogFn;
}

export const silentLogger: MailLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

export interface ImapLogEntry {
  src?: string;
  msg?: string;
  [key: string]: unknown;
}

const AUTH_COMMAND = /^\s*\S+\s+(?:UID\s+)?(AUTHENTICATE|LOGIN)\b/i;

/** Entries imapflow writes for the client side of a login, whatever it already masked. */
const isClientAuthLine = (entry: ImapLogEntry): boolean =>
  entry.src === 'c' &&
  ((typeof entry.msg === 'string' && AUTH_COMMAND.test(entry.msg)) ||
    (typeof entry.comment === 'string' && /AUTH|password|token/i.test(entry.comment)) ||
    entry.hidden === true);

/** Wraps `logger` so that every entry is scrubbed against `secrets` (read at log time). */
export const createRedactingLogger = (
  logger: MailLogger,
  secrets: () => Iterable<string | undefined>,
  context: Record<string, unknown> = {},
): MailLogger => {
  const emit =
    (level: keyof MailLogger): LogFn =>
    (obj, msg) => {
      const target = logger[level] ?? logger.debug;
      try {
        const scrub = createScrubber(secrets());
        const safe = scrubValue({ ...context, ...obj }, scrub) as object;
        if (msg === undefined) target.call(logger, safe);
        else target.call(logger, safe, scrub(msg));
      } catch {
        // a logger must never break the connection it describes
      }
    };
  return {
    trace: emit('trace'),
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
  };
};

/**
 * The logger handed to imapflow: protocol lines go to `debug` (imapflow's `trace` raw writes
 * are dropped), client lines of LOGIN/AUTHENTICATE are replaced by a placeholder, and
 * `observe` sees every entry first (unscrubbed; it must not store values).
 */
export const createImapFlowLogger = (
  logger: MailLogger,
  secrets: () => Iterable<string | undefined>,
  observe: (entry: ImapLogEntry) => void = () => {},
  context: Record<string, unknown> = {},
): ImapFlowLogger => {
  const safe = createRedactingLogger(logger, secrets, { component: 'imap', ...context });
  const forward =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (entry: unknown): void => {
      const record: ImapLogEntry =
        entry !== null && typeof entry === 'object'
          ? (entry as ImapLogEntry)
          : { msg: String(entry) };
      try {
        observe(record);
      } catch {
        // observation is best effort
      }
      if (isClientAuthLine(record)) {
        safe.debug({ src: 'c', cid: record.cid }, '(authentication command hidden)');
        return;
      }
      const { msg, ...rest } = record;
      safe[level](rest, typeof msg === 'string' ? msg : undefined);
    };
  return {
    // raw socket writes (logRaw) and lock bookkeeping: too verbose and too close to the wire
    trace: (entry: unknown) => {
      try {
        observe(entry as ImapLogEntry);
      } catch {
        // best effort
      }
    },
    debug: forward('debug'),
    info: forward('info'),
    warn: forward('warn'),
    error: forward('error'),
    fatal: forward('error'),
  };
};

export type { Scrub };
