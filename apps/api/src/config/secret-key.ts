/**
 * The master key that encrypts mailbox secrets at rest. It accepts 32 bytes as
 * 64 hex characters or base64; in embedded mode a missing key is generated into
 * `<dataDir>/secret.key` (mode 0600) so a first start needs no setup, while a
 * production start never generates one and refuses placeholders.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './config-error';

export const SECRET_KEY_FILE_NAME = 'secret.key';
const KEY_BYTES = 32;
const FORMAT_HINT = `must be ${KEY_BYTES} bytes as 64 hex characters or base64 (make one with: openssl rand -base64 32)`;

/** Decodes a key; returns null when the text is not 32 bytes in hex or base64. */
export function decodeSecretKey(text: string): Buffer | null {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(value)) {
    const bytes = Buffer.from(value.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
    if (bytes.length === KEY_BYTES) return bytes;
  }
  return null;
}

export const secretKeyFormatMessage = FORMAT_HINT;

/** Words that only appear in examples and docs, never in a real secret. */
const PLACEHOLDER_PATTERN =
  /change[-_ ]?me|changeit|example|placeholder|replace[-_ ]?(me|this)|your[-_ ]?(secret|key|password)|^(password|secret|admin|test)\d*$|^x{3,}$/i;

/** True for values copied from .env.example or docs, and for keys with almost no entropy. */
export function isPlaceholderSecret(value: string): boolean {
  if (PLACEHOLDER_PATTERN.test(value)) return true;
  const key = decodeSecretKey(value);
  if (key && new Set(key).size < 8) return true;
  return false;
}

export type SecretKeySource = 'environment' | 'data-dir' | 'generated';

export interface ResolvedSecretKey {
  key: Buffer;
  source: SecretKeySource;
  /** Set when the key lives in (or was written to) the data folder. */
  path: string | null;
}

export interface SecretKeyOptions {
  /** The decoded MAILROOM_SECRET_KEY (or its _FILE), already validated. */
  fromEnvironment: Buffer | null;
  dataDir: string;
  /** Embedded PGlite: the key may live in the data folder. */
  embedded: boolean;
  production: boolean;
}

/**
 * Picks the key: environment first, then `<dataDir>/secret.key` in embedded
 * mode, then (embedded and not production only) a newly generated one.
 */
export function resolveSecretKey(options: SecretKeyOptions): ResolvedSecretKey {
  if (options.fromEnvironment) {
    return { key: options.fromEnvironment, source: 'environment', path: null };
  }
  if (!options.embedded) {
    throw new ConfigError([
      {
        variable: 'MAILROOM_SECRET_KEY',
        message: `is required with DATABASE_URL (every API and worker process must share it); ${FORMAT_HINT}`,
      },
    ]);
  }
  const path = join(options.dataDir, SECRET_KEY_FILE_NAME);
  let existing: string | null = null;
  try {
    existing = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError([
        {
          variable: 'MAILROOM_SECRET_KEY',
          message: `cannot read ${path}: ${(error as Error).message}`,
        },
      ]);
    }
  }
  if (existing !== null) {
    const key = decodeSecretKey(existing);
    if (!key) {
      throw new ConfigError([
        { variable: 'MAILROOM_SECRET_KEY', message: `${path} ${FORMAT_HINT}` },
      ]);
    }
    return { key, source: 'data-dir', path };
  }
  if (options.production) {
    throw new ConfigError([
      {
        variable: 'MAILROOM_SECRET_KEY',
        message: `is required in production (or an existing ${path}); a production start never generates one`,
      },
    ]);
  }
  const key = randomBytes(KEY_BYTES);
  mkdirSync(options.dataDir, { recursive: true });
  try {
    // `wx` never overwrites a key another process wrote in the meantime.
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return resolveSecretKey(options);
    throw error;
  }
  chmodSync(path, 0o600);
  return { key, source: 'generated', path };
}
