/**
 * The master key that decrypts mailbox secrets, resolved exactly as the API
 * does (the API and workers never import each other, so this mirrors
 * apps/api/src/config/secret-key.ts): environment first, then
 * `<dataDir>/secret.key` in embedded mode, generated there only outside
 * production. Keep the two in step.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KEY_BYTES = 32;
export const secretKeyFormatMessage = `must be ${KEY_BYTES} bytes as 64 hex characters or base64 (make one with: openssl rand -base64 32)`;

export function decodeSecretKey(text: string): Buffer | null {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(value)) {
    const bytes = Buffer.from(value.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
    if (bytes.length === KEY_BYTES) return bytes;
  }
  return null;
}

const PLACEHOLDER_PATTERN =
  /change[-_ ]?me|changeit|example|placeholder|replace[-_ ]?(me|this)|your[-_ ]?(secret|key|password)|^(password|secret|admin|test)\d*$|^x{3,}$/i;

export function isPlaceholderSecret(value: string): boolean {
  if (PLACEHOLDER_PATTERN.test(value)) return true;
  const key = decodeSecretKey(value);
  return key !== null && new Set(key).size < 8;
}

/** Thrown with the variable name so the config error can list it like any other. */
export class SecretKeyError extends Error {}

export function resolveSecretKey(options: {
  fromEnvironment: Buffer | null;
  dataDir: string;
  embedded: boolean;
  production: boolean;
}): Buffer {
  if (options.fromEnvironment) return options.fromEnvironment;
  if (!options.embedded) {
    throw new SecretKeyError(
      `is required with DATABASE_URL (every API and worker process must share it); ${secretKeyFormatMessage}`,
    );
  }
  const path = join(options.dataDir, 'secret.key');
  let existing: string | null = null;
  try {
    existing = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new SecretKeyError(`cannot read ${path}: ${(error as Error).message}`);
    }
  }
  if (existing !== null) {
    const key = decodeSecretKey(existing);
    if (!key) throw new SecretKeyError(`${path} ${secretKeyFormatMessage}`);
    return key;
  }
  if (options.production) {
    throw new SecretKeyError(
      `is required in production (or an existing ${path}); a production start never generates one`,
    );
  }
  const key = randomBytes(KEY_BYTES);
  mkdirSync(options.dataDir, { recursive: true });
  try {
    writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return resolveSecretKey(options);
    throw error;
  }
  chmodSync(path, 0o600);
  return key;
}
