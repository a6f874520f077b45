/**
 * Structured JSON logs for the worker, with the same redaction list as the
 * API: credentials, tokens and secrets never reach a log line, however deep
 * in a logged object they sit (up to four levels).
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger };

const secretFields = [
  'password',
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
];

export const redactPaths = secretFields.flatMap((field) => [
  field,
  `*.${field}`,
  `*.*.${field}`,
  `*.*.*.${field}`,
]);

export function createLogger(options: {
  level: LogLevel;
  destination: DestinationStream;
  base?: Record<string, unknown>;
}): Logger {
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
