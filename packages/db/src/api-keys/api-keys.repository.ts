/**
 * API keys look like `mr_<prefix>_<secret>`. The prefix is stored in clear to
 * find the row and to let admins tell keys apart; the key itself only as a
 * sha256, compared in constant time. The plaintext is returned once, at creation.
 */
import { MailroomError, type UserRole } from '@mailroom/domain';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../database/database.types';
import { randomToken, sha256Hex } from '../shared/hashing';
import { isUuid } from '../shared/ids';
import { isUniqueViolation } from '../shared/pg-errors';
import { apiKeys } from './api-keys.tables';

type ApiKeyRow = typeof apiKeys.$inferSelect;
export type ApiKey = Omit<ApiKeyRow, 'keyHash'>;

const keyPattern = /^mr_([0-9a-f]{8})_([A-Za-z0-9_-]{20,})$/;

const toApiKey = ({ keyHash: _keyHash, ...rest }: ApiKeyRow): ApiKey => rest;

export const createApiKeysRepository = ({ db }: { db: Db }) => ({
  async create(input: {
    tenantId: string;
    name: string;
    role: UserRole;
    createdByUserId?: string | null;
  }): Promise<{ apiKey: ApiKey; plaintext: string }> {
    const name = input.name.trim();
    if (name === '') {
      throw new MailroomError('api_key.invalid_name', 'Give the API key a name.', {
        issues: [{ path: 'name', message: 'required' }],
      });
    }
    for (let attempt = 1; ; attempt += 1) {
      const prefix = randomBytes(4).toString('hex');
      const plaintext = `mr_${prefix}_${randomToken(32)}`;
      try {
        const [row] = await db
          .insert(apiKeys)
          .values({
            tenantId: input.tenantId,
            name,
            prefix,
            keyHash: sha256Hex(plaintext),
            role: input.role,
            createdByUserId: input.createdByUserId ?? null,
          })
          .returning();
        return { apiKey: toApiKey(row!), plaintext };
      } catch (error) {
        // A prefix collision is rare (1 in 4 billion per pair); just draw again.
        if (attempt < 5 && isUniqueViolation(error, 'api_keys_prefix_unique')) continue;
        throw error;
      }
    }
  },

  /** The key's record when the plaintext is valid and not revoked; records the use. */
  async verify(plaintext: string, now: Date = new Date()): Promise<ApiKey | null> {
    const match = keyPattern.exec(plaintext.trim());
    if (match === null) return null;
    const [row] = await db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.prefix, match[1]!), isNull(apiKeys.revokedAt)));
    if (row === undefined) return null;
    const expected = Buffer.from(row.keyHash, 'hex');
    const actual = Buffer.from(sha256Hex(plaintext.trim()), 'hex');
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
    const [updated] = await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(eq(apiKeys.id, row.id))
      .returning();
    return toApiKey(updated ?? row);
  },

  async listByTenant(tenantId: string): Promise<ApiKey[]> {
    const rows = await db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.tenantId, tenantId))
      .orderBy(desc(apiKeys.createdAt));
    return rows.map(toApiKey);
  },

  async get(id: string, scope?: { tenantId: string }): Promise<ApiKey | null> {
    if (!isUuid(id)) return null;
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
    if (row === undefined || (scope !== undefined && row.tenantId !== scope.tenantId)) return null;
    return toApiKey(row);
  },

  /** Revoking twice keeps the first revocation time. */
  async revoke(id: string, now: Date = new Date()): Promise<ApiKey> {
    if (isUuid(id)) {
      await db
        .update(apiKeys)
        .set({ revokedAt: now })
        .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
      if (row !== undefined) return toApiKey(row);
    }
    throw new MailroomError('api_key.not_found', 'This API key does not exist.', {
      kind: 'not_found',
    });
  },
});

export type ApiKeysRepository = ReturnType<typeof createApiKeysRepository>;
