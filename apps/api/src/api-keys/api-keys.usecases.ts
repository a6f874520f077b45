/** Issuing API keys from the CLI (`pnpm mailroom key create`); the plaintext exists only in the result. */
import type { ApiKeysRepository, TenantsRepository } from '@mailroom/db';
import type { UserRole } from '@mailroom/domain';
import { defaultTenant } from '../users/users.usecases';

export async function createApiKey(
  { apiKeys, tenants }: { apiKeys: ApiKeysRepository; tenants: TenantsRepository },
  input: { name: string; role: UserRole },
) {
  const tenant = await tenants.ensure(defaultTenant);
  return apiKeys.create({ tenantId: tenant.id, name: input.name, role: input.role });
}
