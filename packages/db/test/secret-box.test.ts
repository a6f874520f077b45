import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, parseMasterKey } from '../src/index';
import { hasCode } from './fixtures';

const mailboxId = '4b0a5b8e-1111-4222-8333-944455556666';

describe('secret box', () => {
  it('round-trips a secret and never writes the plaintext into the ciphertext', () => {
    const box = createSecretBox({ masterKey: randomBytes(32) });
    const sealed = box.seal({ mailboxId, name: 'password', plaintext: 'hunter2-hunter2' });
    expect(Buffer.from(sealed.ciphertext).toString('utf8')).not.toContain('hunter2');
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.tag).toHaveLength(16);
    expect(sealed.keyId).toMatch(/^v1:[0-9a-f]{12}$/);
    expect(box.open({ mailboxId, name: 'password', ...sealed })).toBe('hunter2-hunter2');
  });

  it('uses a fresh IV each time, so equal secrets give different ciphertexts', () => {
    const box = createSecretBox({ masterKey: randomBytes(32) });
    const a = box.seal({ mailboxId, name: 'password', plaintext: 'same' });
    const b = box.seal({ mailboxId, name: 'password', plaintext: 'same' });
    expect(Buffer.from(a.iv).equals(Buffer.from(b.iv))).toBe(false);
  });

  it('refuses a ciphertext moved to another mailbox or another secret name', () => {
    const box = createSecretBox({ masterKey: randomBytes(32) });
    const sealed = box.seal({ mailboxId, name: 'client_secret', plaintext: 'azure-secret' });
    expect(() =>
      box.open({ mailboxId: 'another-mailbox', name: 'client_secret', ...sealed }),
    ).toThrow(expect.objectContaining({ code: 'secret.decrypt_failed' }));
    expect(() => box.open({ mailboxId, name: 'password', ...sealed })).toThrow(
      expect.objectContaining({ code: 'secret.decrypt_failed' }),
    );
  });

  it('detects a tampered ciphertext or tag', () => {
    const box = createSecretBox({ masterKey: randomBytes(32) });
    const sealed = box.seal({ mailboxId, name: 'password', plaintext: 'abcdef' });
    const flipped = Uint8Array.from(sealed.ciphertext);
    flipped[0] = flipped[0]! ^ 1;
    expect(() =>
      box.open({ mailboxId, name: 'password', ...sealed, ciphertext: flipped }),
    ).toThrow();
    const badTag = Uint8Array.from(sealed.tag);
    badTag[3] = badTag[3]! ^ 0x80;
    expect(() => box.open({ mailboxId, name: 'password', ...sealed, tag: badTag })).toThrow();
  });

  it('decrypts with a previous master key after rotation and names an unknown key', () => {
    const oldKey = randomBytes(32);
    const sealed = createSecretBox({ masterKey: oldKey }).seal({
      mailboxId,
      name: 'password',
      plaintext: 'old',
    });
    const rotated = createSecretBox({ masterKey: randomBytes(32), previousKeys: [oldKey] });
    expect(rotated.keyId).not.toBe(sealed.keyId);
    expect(rotated.open({ mailboxId, name: 'password', ...sealed })).toBe('old');
    const stranger = createSecretBox({ masterKey: randomBytes(32) });
    expect(() => stranger.open({ mailboxId, name: 'password', ...sealed })).toThrow(
      expect.objectContaining({ code: 'secret.unknown_key' }),
    );
  });

  it('accepts a master key as 32 bytes, hex or base64, and nothing shorter', () => {
    const key = randomBytes(32);
    expect(Buffer.from(parseMasterKey(key.toString('hex'))).equals(key)).toBe(true);
    expect(Buffer.from(parseMasterKey(key.toString('base64'))).equals(key)).toBe(true);
    expect(Buffer.from(parseMasterKey(key.toString('base64url'))).equals(key)).toBe(true);
    expect(() => parseMasterKey(randomBytes(16))).toThrow(
      expect.objectContaining({ code: 'secret.invalid_master_key' }),
    );
    let thrown: unknown;
    try {
      createSecretBox({ masterKey: 'too short' });
    } catch (error) {
      thrown = error;
    }
    expect(hasCode('secret.invalid_master_key')(thrown)).toBe(true);
  });
});
