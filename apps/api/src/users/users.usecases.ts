/**
 * Creating users outside the web app: the first admin on a fresh install and
 * `pnpm mailroom user create`. Every user belongs to a tenant; until tenants
 * are managed in the UI everything lives in the `default` tenant.
 */
import { randomBytes } from 'node:crypto';
import type { TenantsRepository, User, UsersRepository } from '@mailroom/db';
import { MailroomError, type UserRole } from '@mailroom/domain';

export const defaultTenant = { slug: 'default', name: 'Default' } as const;

/** Used when MAILROOM_ADMIN_EMAIL is not set. */
export const fallbackAdminEmail = 'admin@mailroom.local';

/** Letters and digits without look-alikes (0/O, 1/l/I): the password is read off a terminal. */
const passwordAlphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 24 characters from a 57-character alphabet, about 140 bits, unbiased. */
export function generatePassword(length = 24): string {
  const limit = 256 - (256 % passwordAlphabet.length);
  let password = '';
  while (password.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && password.length < length)
        password += passwordAlphabet[byte % passwordAlphabet.length];
    }
  }
  return password;
}

export interface UsersUsecaseDeps {
  users: UsersRepository;
  tenants: TenantsRepository;
}

export type FirstAdminResult =
  { created: false } | { created: true; user: User; password: string; passwordGenerated: boolean };

/**
 * Creates the first admin when the database has no user at all. Safe when two
 * processes start at once: the loser sees the winner's user and creates none.
 */
export async function ensureFirstAdmin(
  { users, tenants }: UsersUsecaseDeps,
  input: { email: string | null; password: string | null; name: string },
): Promise<FirstAdminResult> {
  if ((await users.count()) > 0) return { created: false };
  const tenant = await tenants.ensure(defaultTenant);
  const password = input.password ?? generatePassword();
  try {
    const user = await users.create({
      tenantId: tenant.id,
      email: input.email ?? fallbackAdminEmail,
      name: input.name,
      role: 'admin',
      password,
    });
    return { created: true, user, password, passwordGenerated: input.password === null };
  } catch (error) {
    if (error instanceof MailroomError && error.code === 'user.email_taken')
      return { created: false };
    throw error;
  }
}

export async function createUser(
  { users, tenants }: UsersUsecaseDeps,
  input: { email: string; name: string; role: UserRole; password: string | null },
): Promise<{ user: User; password: string; passwordGenerated: boolean }> {
  const tenant = await tenants.ensure(defaultTenant);
  const password = input.password ?? generatePassword();
  const user = await users.create({
    tenantId: tenant.id,
    email: input.email,
    name: input.name,
    role: input.role,
    password,
  });
  return { user, password, passwordGenerated: input.password === null };
}
