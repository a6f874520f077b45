/**
 * Content-addressed byte storage. The key is computed here from the bytes
 * (callers are not trusted to hash), so the same attachment arriving a
 * thousand times is stored once; a second put is `on conflict do nothing`.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../database/database.types';
import { sha256Hex } from '../shared/hashing';
import { blobs } from './blobs.tables';

export interface Blob {
  sha256: string;
  size: number;
  bytes: Uint8Array;
}

export type BlobInfo = Omit<Blob, 'bytes'>;

/** Stores the bytes (once) and returns their address; usable inside a transaction. */
export const putBlob = async (db: Db, bytes: Uint8Array): Promise<BlobInfo> => {
  const sha256 = sha256Hex(bytes);
  await db
    .insert(blobs)
    .values({ sha256, size: bytes.byteLength, bytes })
    .onConflictDoNothing({ target: blobs.sha256 });
  return { sha256, size: bytes.byteLength };
};

const shaPattern = /^[0-9a-f]{64}$/;

export const createBlobsRepository = ({ db }: { db: Db }) => ({
  put: (bytes: Uint8Array): Promise<BlobInfo> => putBlob(db, bytes),

  async get(sha256: string): Promise<Blob | null> {
    if (!shaPattern.test(sha256)) return null;
    const [row] = await db
      .select({ sha256: blobs.sha256, size: blobs.size, bytes: blobs.bytes })
      .from(blobs)
      .where(eq(blobs.sha256, sha256));
    return row ?? null;
  },

  /** Size without loading the bytes. */
  async stat(sha256: string): Promise<BlobInfo | null> {
    if (!shaPattern.test(sha256)) return null;
    const [row] = await db
      .select({ sha256: blobs.sha256, size: blobs.size })
      .from(blobs)
      .where(eq(blobs.sha256, sha256));
    return row ?? null;
  },
});

export type BlobsRepository = ReturnType<typeof createBlobsRepository>;
