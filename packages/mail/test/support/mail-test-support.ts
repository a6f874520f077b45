/**
 * Helpers shared by the mail integration tests: endpoints for the testkit Dovecot, a logger
 * that keeps every line it is given, and the assertion that no secret appears in any text a
 * test produced (error messages, details, reports, log lines).
 */
import { expect } from 'vitest';
import type { Dovecot } from '@mailroom/testkit';
import type { ImapEndpoint, MailLogger } from '../../src/index';

export type TlsMode = ImapEndpoint['tls'];

/** Settings for the testkit Dovecot; implicit and STARTTLS trust its certificate by PEM unless told otherwise. */
export const dovecotEndpoint = (
  dovecot: Dovecot,
  username: string,
  tls: TlsMode = 'implicit',
  overrides: Partial<ImapEndpoint> = {},
): ImapEndpoint => ({
  host: dovecot.host,
  port: tls === 'implicit' ? dovecot.imapsPort : dovecot.imapPort,
  tls,
  username,
  trustSelfSigned: false,
  trustedCertificatePem: dovecot.certPem,
  connectionTimeoutMs: 5000,
  ...overrides,
});

export interface CapturedLog {
  logger: MailLogger;
  lines: string[];
}

/** A pino-shaped logger that records every entry as one JSON line, at every level. */
export const captureLog = (): CapturedLog => {
  const lines: string[] = [];
  const write = (level: string) => (obj: object, msg?: string) => {
    lines.push(JSON.stringify({ level, ...obj, msg }));
  };
  return {
    lines,
    logger: {
      trace: write('trace'),
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
    },
  };
};

/** Fails when any secret (or its base64 form) occurs in any of the texts. */
export const expectNoSecrets = (
  texts: Iterable<unknown>,
  secrets: Iterable<string | undefined>,
) => {
  const haystack = [...texts]
    .map((text) =>
      typeof text === 'string'
        ? text
        : JSON.stringify(text, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
    )
    .join('\n');
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 4) continue;
    expect(haystack, 'a secret leaked').not.toContain(secret);
    expect(haystack, 'a secret leaked in base64').not.toContain(
      Buffer.from(secret).toString('base64'),
    );
  }
};

export const errorTexts = (error: unknown): unknown[] => {
  const record = error as { message?: unknown; details?: unknown; stack?: unknown };
  return [record.message, record.details, record.stack];
};

export const caught = async (
  promise: Promise<unknown>,
): Promise<Error & { code: string; details: Record<string, unknown> }> => {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code: string; details: Record<string, unknown> };
  }
  throw new Error('expected the promise to fail');
};

/** Dovecot counts a connection when it ends; wait until earlier tests' connections are counted. */
export const settledConnectionCount = async (dovecot: Dovecot): Promise<number> => {
  let previous = await dovecot.countConnections();
  for (let round = 0; round < 20; round += 1) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const current = await dovecot.countConnections();
    if (current === previous) return current;
    previous = current;
  }
  return previous;
};

/** Dovecot writes a login record when the connection ends: poll until one for `user` is there. */
export const waitForLogin = async (dovecot: Dovecot, user: string, timeoutMs = 3000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await dovecot.logins()).filter((login) => login.user === user);
    if (found.length > 0 || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
