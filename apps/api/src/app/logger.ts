/**
 * Structured logging for the API process. Every logger is made here so the
 * redaction list is applied everywhere: authorization and cookie headers,
 * passwords, tokens, secrets and keys never reach a log line.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/config.schema';

export type { Logger };

const secretFields = [
  'password',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'clientSecret',
  'secretKey',
  'apiKey',
  'key',
  'authorization',
  'cookie',
  'set-cookie',
];

/** pino's redaction has no deep wildcard, so cover the depths our log objects use. */
export const redactPaths = secretFields.flatMap((field) => {
  const name = /^[a-zA-Z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
  const dotted = name.startsWith('[') ? name : `.${name}`;
  return [name, `*${dotted}`, `*.*${dotted}`, `*.*.*${dotted}`];
});

export interface LoggerOptions {
  level: LogLevel;
  /** Where JSON lines go; the CLI passes stderr so stdout stays for command output. */
  destination: DestinationStream;
  /** Bound on every line, e.g. `{ service: 'api' }`. */
  base?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: options.base ?? {},
      redact: { paths: redactPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
