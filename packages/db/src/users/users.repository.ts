import { MailroomError, type UserRole } from '@mailroom/domain';
import { and, asc, count, eq, type SQL } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import type { Db } from '../database/database.types';
import { isUuid } from '../shared/ids';
import { isUniqueViolation } from '../shared/pg-errors';
import { hashPassword, verifyPassword } from './passwords';
import { users } from './users.tables';

type UserRow = typeof users.$inferSelect;

/** A user as the rest of the system sees it: never the password hash. */
export interface User {
  id: string;
  tenantId: string;
  email: string;
  name: string;
  role: UserRole;
  disabled: boolean;
  hasPassword: boolean;
  lastLoginAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const toUser = (row: UserRow): User => ({
  id: row.id,
  tenantId: row.tenantId,
  email: row.email,
  name: row.name,
  role: row.role,
  disabled: row.disabled,
  hasPassword: row.passwordHash !== null,
  lastLoginAt: row.lastLoginAt,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

const checkEmail = (email: string): void => {
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new MailroomError('user.invalid_email', 'Enter a valid email address.', {
      issues: [{ path: 'email', message: 'enter a valid email address' }],
    });
  }
};

const checkPassword = (password: string): void => {
  if (password.length < 8) {
    throw new MailroomError('user.weak_password', 'Use a password of at least 8 characters.', {
      issues: [{ path: 'password', message: 'use at least 8 characters' }],
    });
  }
};

export interface CreateUserInput {
  tenantId: string;
  email: string;
  name: string;
  role: UserRole;
  /** Omit to create a user who cannot log in with a password yet. */
  password?: string;
}

export const createUsersRepository = ({ db }: { db: Db }) => {
  // Checked against when the email is unknown, so both paths cost one scrypt.
  let dummyHash: Promise<string> | undefined;
  const burnPasswordCheck = async (password: string): Promise<void> => {
    dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    await verifyPassword(password, await dummyHash);
  };

  return {
    async create(input: CreateUserInput): Promise<User> {
      const email = normalizeEmail(input.email);
      checkEmail(email);
      if (input.password !== undefined) checkPassword(input.password);
      const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
      try {
        const [row] = await db
          .insert(users)
          .values({
            tenantId: input.tenantId,
            email,
            name: input.name.trim(),
            role: input.role,
            passwordHash,
          })
          .returning();
        return toUser(row!);
      } catch (error) {
        if (isUniqueViolation(error, 'users_tenant_email_unique')) {
          throw new MailroomError(
            'user.email_taken',
            `A user with the email ${email} exists already.`,
            {
              kind: 'conflict',
              issues: [{ path: 'email', message: 'already in use' }],
            },
          );
        }
        throw error;
      }
    },

    async get(id: string, scope?: { tenantId: string }): Promise<User | null> {
      if (!isUuid(id)) return null;
      const conditions: SQL[] = [eq(users.id, id)];
      if (scope !== undefined) conditions.push(eq(users.tenantId, scope.tenantId));
      const [row] = await db
        .select()
        .from(users)
        .where(and(...conditions));
      return row === undefined ? null : toUser(row);
    },

    async findByEmail(tenantId: string, email: string): Promise<User | null> {
      const [row] = await db
        .select()
        .from(users)
        .where(and(eq(users.tenantId, tenantId), eq(users.email, normalizeEmail(email))));
      return row === undefined ? null : toUser(row);
    },

    async listByTenant(tenantId: string): Promise<User[]> {
      const rows = await db
        .select()
        .from(users)
        .where(eq(users.tenantId, tenantId))
        .orderBy(asc(users.email));
      return rows.map(toUser);
    },

    async count(filter: { tenantId?: string; role?: UserRole } = {}): Promise<number> {
      const conditions: SQL[] = [];
      if (filter.tenantId !== undefined) conditions.push(eq(users.tenantId, filter.tenantId));
      if (filter.role !== undefined) conditions.push(eq(users.role, filter.role));
      const [row] = await db
        .select({ value: count() })
        .from(users)
        .where(and(...conditions));
      return row?.value ?? 0;
    },

    async update(
      id: string,
      patch: { name?: string; role?: UserRole; disabled?: boolean },
    ): Promise<User> {
      const [row] = await db
        .update(users)
        .set({ ...patch, updatedAt: new Date() })
        .where(eq(users.id, id))
        .returning();
      if (row === undefined)
        throw new MailroomError('user.not_found', 'This user does not exist.', {
          kind: 'not_found',
        });
      return toUser(row);
    },

    async setPassword(id: string, password: string): Promise<void> {
      checkPassword(password);
      const passwordHash = await hashPassword(password);
      const rows = await db
        .update(users)
        .set({ passwordHash, updatedAt: new Date() })
        .where(eq(users.id, id))
        .returning({ id: users.id });
      if (rows.length === 0)
        throw new MailroomError('user.not_found', 'This user does not exist.', {
          kind: 'not_found',
        });
    },

    /**
     * Checks an email + password. Without `tenantId` every tenant's user with
     * that email is a candidate and the password decides. Disabled users and
     * users without a password never pass. Records the login time on success.
     */
    async authenticate(input: {
      email: string;
      password: string;
      tenantId?: string;
    }): Promise<User | null> {
      const conditions: SQL[] = [
        eq(users.email, normalizeEmail(input.email)),
        eq(users.disabled, false),
      ];
      if (input.tenantId !== undefined) conditions.push(eq(users.tenantId, input.tenantId));
      const candidates = await db
        .select()
        .from(users)
        .where(and(...conditions))
        .orderBy(asc(users.createdAt));
      for (const candidate of candidates) {
        if (candidate.passwordHash === null) continue;
        if (await verifyPassword(input.password, candidate.passwordHash)) {
          const [row] = await db
            .update(users)
            .set({ lastLoginAt: new Date() })
            .where(eq(users.id, candidate.id))
            .returning();
          return toUser(row!);
        }
      }
      if (candidates.length === 0) await burnPasswordCheck(input.password);
      return null;
    },
  };
};

export type UsersRepository = ReturnType<typeof createUsersRepository>;
