/** Request and response shapes of the auth endpoints (pure). */
import { z } from '@hono/zod-openapi';
import { userRoles } from '@mailroom/domain';
import type { Principal } from '../app/app-env';

export const loginBodySchema = z
  .object({
    email: z
      .string({ error: 'enter your email address' })
      .trim()
      .min(1, 'enter your email address')
      .max(320),
    password: z.string({ error: 'enter your password' }).min(1, 'enter your password').max(1024),
  })
  .openapi('LoginRequest');

export const meSchema = z
  .object({
    kind: z
      .enum(['user', 'api_key'])
      .openapi({ description: 'Signed in with a session, or an API key.' }),
    id: z.string().openapi({ description: 'User id, or API key id.' }),
    name: z.string(),
    email: z.string().nullable().openapi({ description: 'null for API keys.' }),
    role: z.enum(userRoles),
    tenantId: z.string(),
  })
  .openapi('Me');

export type Me = z.infer<typeof meSchema>;

export const loginResponseSchema = z
  .object({ me: meSchema, expiresAt: z.string().openapi({ format: 'date-time' }) })
  .openapi('LoginResponse');

export const toMe = (principal: Principal): Me =>
  principal.kind === 'user'
    ? {
        kind: 'user',
        id: principal.userId,
        name: principal.name,
        email: principal.email,
        role: principal.role,
        tenantId: principal.tenantId,
      }
    : {
        kind: 'api_key',
        id: principal.apiKeyId,
        name: principal.name,
        email: null,
        role: principal.role,
        tenantId: principal.tenantId,
      };
