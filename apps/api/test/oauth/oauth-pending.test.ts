/** The sealed pending sign-in opens only for its own state, key and lifetime. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPendingSealer, pendingCookieName } from '../../src/oauth/oauth-pending';

const record = (state: string, expiresAt: number) => ({
  mailboxId: 'f3b8d6a2-1c4e-4b7a-9d2e-5a6b7c8d9e0f',
  tenantId: '0b1c2d3e-4f50-4a6b-8c7d-8e9f0a1b2c3d',
  pending: {
    state,
    codeVerifier: 'verifier-that-must-stay-secret',
    redirectUri: 'https://mailroom.test/api/v1/oauth/callback',
    scopes: ['offline_access'],
    createdAt: new Date(0).toISOString(),
  },
  expiresAt,
});

describe('pending sign-in sealing', () => {
  const key = randomBytes(32);
  const sealer = createPendingSealer(key);

  it('opens what it sealed for the same state before it expires, and hides the verifier', () => {
    const sealed = sealer.seal(record('state-1', 2_000));
    expect(sealed).not.toContain('verifier');
    expect(Buffer.from(sealed, 'base64url').toString('latin1')).not.toContain('verifier');
    expect(sealer.open(sealed, 'state-1', 1_000)).toEqual(record('state-1', 2_000));
  });

  it('refuses another state, an expired record, another key and garbage', () => {
    const sealed = sealer.seal(record('state-1', 2_000));
    expect(sealer.open(sealed, 'state-2', 1_000)).toBeNull();
    expect(sealer.open(sealed, 'state-1', 2_000)).toBeNull();
    expect(createPendingSealer(randomBytes(32)).open(sealed, 'state-1', 1_000)).toBeNull();
    expect(sealer.open('AAAA', 'state-1', 1_000)).toBeNull();
    expect(sealer.open('', 'state-1', 1_000)).toBeNull();
  });

  it('names one cookie per state, without the state in the name', () => {
    expect(pendingCookieName('a')).not.toBe(pendingCookieName('b'));
    expect(pendingCookieName('state-xyz')).toMatch(/^mailroom_oauth_[\w-]{22}$/);
    expect(pendingCookieName('state-xyz')).not.toContain('state-xyz');
  });
});
