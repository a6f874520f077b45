/**
 * Resolves the caller once per API request: an `Authorization: Bearer mr_...`
 * API key wins over the session cookie; a bad key is an error (never a silent
 * fallback to the cookie). Handlers then call requirePrincipal() with the
 * role they need.
 */
import type { UserRole } from '@mailroom/domain';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, Principal } from '../app/app-env';
import { forbiddenError, invalidApiKeyError, unauthenticatedError } from './auth.errors';
import type { AuthUsecases } from './auth.usecases';

export function authenticate({ auth, cookieName }: { auth: AuthUsecases; cookieName: string }) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header('authorization');
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match?.[1]) throw invalidApiKeyError();
      c.set('principal', await auth.principalFromApiKey(match[1]));
    } else {
      const token = getCookie(c, cookieName);
      if (token) c.set('principal', await auth.principalFromSession(token));
    }
    await next();
  });
}

/** An admin may do everything an agent may. */
const satisfies = (have: UserRole, need: UserRole): boolean => need === 'agent' || have === 'admin';

export function requirePrincipal(c: Context<AppEnv>, options: { role?: UserRole } = {}): Principal {
  const principal = c.get('principal');
  if (!principal) throw unauthenticatedError();
  if (options.role && !satisfies(principal.role, options.role)) throw forbiddenError(options.role);
  return principal;
}
