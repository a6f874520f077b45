/**
 * A started "Sign in with Microsoft", kept in the admin's browser but readable only by the
 * server: AES-256-GCM under a key derived from MAILROOM_SECRET_KEY, bound to its cookie name
 * (which is derived from the state). Any API process can open it, nothing is stored in the
 * database, and a tampered, foreign or expired record opens to null.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { PendingAuthorization } from '@mailroom/mail';

export interface PendingSignIn {
  mailboxId: string;
  tenantId: string;
  pending: PendingAuthorization;
  /** Epoch ms after which the record is refused. */
  expiresAt: number;
}

const COOKIE_PREFIX = 'mailroom_oauth_';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** One cookie per started sign-in, so two tabs signing in two mailboxes do not collide. */
export const pendingCookieName = (state: string): string =>
  `${COOKIE_PREFIX}${createHash('sha256').update(state).digest('base64url').slice(0, 22)}`;

export const createPendingSealer = (secretKey: Uint8Array) => {
  const key = Buffer.from(
    hkdfSync('sha256', secretKey, Buffer.alloc(0), 'mailroom oauth pending sign-in v1', 32),
  );

  return {
    seal(record: PendingSignIn): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(pendingCookieName(record.pending.state)));
      const body = Buffer.concat([cipher.update(JSON.stringify(record), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },

    /** The record, or null when it is not ours, was altered, belongs to another state or expired. */
    open(sealed: string, state: string, now: number): PendingSignIn | null {
      try {
        const raw = Buffer.from(sealed, 'base64url');
        if (raw.length <= IV_BYTES + TAG_BYTES) return null;
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(pendingCookieName(state)));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        const text = Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
        const record = JSON.parse(text) as PendingSignIn;
        if (record.pending.state !== state || !(record.expiresAt > now)) return null;
        return record;
      } catch {
        return null;
      }
    },
  };
};

export type PendingSealer = ReturnType<typeof createPendingSealer>;
