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

/** 24 URL-safe characters, 144 bits: printed once, so it must be typeable. */
export const generatePassword = (): string => randomBytes(18).toString('base64url');

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
