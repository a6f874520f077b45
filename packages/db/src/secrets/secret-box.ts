/**
 * Encrypts mailbox secrets at rest with AES-256-GCM. The master key is passed
 * in (32 bytes); the cipher key is derived from it with HKDF so the master key
 * is never used directly. The associated data binds each ciphertext to its
 * mailbox id and secret name: a ciphertext copied to another row does not
 * decrypt. Stored key ids (`v1:<fingerprint>`) name the format and the key,
 * so a new master key can be introduced while old ones still decrypt.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { MailroomError } from '@mailroom/domain';

export interface SealedSecret {
  ciphertext: Uint8Array;
  iv: Uint8Array;
  tag: Uint8Array;
  keyId: string;
}

export interface SecretBox {
  /** The id new ciphertexts are written with. */
  readonly keyId: string;
  seal(input: { mailboxId: string; name: string; plaintext: string }): SealedSecret;
  open(input: { mailboxId: string; name: string } & SealedSecret): string;
}

export type MasterKey = Uint8Array | string;

const formatVersion = 'v1';

/** Accepts 32 raw bytes, 64 hex characters or base64 / base64url of 32 bytes. */
export const parseMasterKey = (key: MasterKey): Uint8Array => {
  let bytes: Uint8Array;
  if (typeof key !== 'string') bytes = key;
  else if (/^[0-9a-fA-F]{64}$/.test(key.trim())) bytes = Buffer.from(key.trim(), 'hex');
  else bytes = Buffer.from(key.trim(), 'base64');
  if (bytes.length !== 32) {
    throw new MailroomError(
      'secret.invalid_master_key',
      'The secret master key must be 32 bytes (64 hex characters or 44 base64 characters).',
      { kind: 'invalid' },
    );
  }
  return bytes;
};

const keyIdOf = (master: Uint8Array): string =>
  `${formatVersion}:${createHash('sha256').update(master).digest('hex').slice(0, 12)}`;

const deriveKey = (master: Uint8Array): Buffer =>
  Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'mailroom mailbox secrets v1', 32));

const associatedData = (mailboxId: string, name: string): Buffer =>
  Buffer.from(`${mailboxId}\u0000${name}`, 'utf8');

export const createSecretBox = ({
  masterKey,
  previousKeys = [],
}: {
  masterKey: MasterKey;
  /** Older master keys that may still have encrypted stored secrets. */
  previousKeys?: MasterKey[];
}): SecretBox => {
  const current = parseMasterKey(masterKey);
  const keys = new Map<string, Buffer>();
  for (const key of [current, ...previousKeys.map(parseMasterKey)])
    keys.set(keyIdOf(key), deriveKey(key));
  const keyId = keyIdOf(current);

  return {
    keyId,
    seal({ mailboxId, name, plaintext }) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keys.get(keyId)!, iv);
      cipher.setAAD(associatedData(mailboxId, name));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return { ciphertext, iv, tag: cipher.getAuthTag(), keyId };
    },
    open({ mailboxId, name, ciphertext, iv, tag, keyId: storedKeyId }) {
      const key = keys.get(storedKeyId);
      if (key === undefined) {
        throw new MailroomError(
          'secret.unknown_key',
          'A stored secret was encrypted with a master key this server does not have; enter the secret again.',
          { kind: 'permanent', details: { keyId: storedKeyId } },
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(associatedData(mailboxId, name));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch (cause) {
        throw new MailroomError(
          'secret.decrypt_failed',
          'A stored secret could not be decrypted (wrong master key or tampered data); enter the secret again.',
          { kind: 'permanent', cause },
        );
      }
    },
  };
};
