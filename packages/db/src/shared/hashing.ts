import { createHash, randomBytes } from 'node:crypto';

export const sha256Hex = (data: string | Uint8Array): string =>
  createHash('sha256').update(data).digest('hex');

export const md5Hex = (data: Uint8Array): string => createHash('md5').update(data).digest('hex');

/** URL-safe random token with `bytes` bytes of entropy. */
export const randomToken = (bytes: number): string => randomBytes(bytes).toString('base64url');
