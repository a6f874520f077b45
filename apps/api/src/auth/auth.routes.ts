/**
 * Sign-in, sign-out and "who am I". The session token only ever travels in an
 * httpOnly, SameSite=Strict cookie (Secure when the public URL is https), so
 * page scripts cannot read it and other sites cannot send it.
 */
import { createRoute } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { problemContent } from '../app/problem';
import { createRouter } from '../app/router';
import { requirePrincipal } from './auth.middleware';
import { loginBodySchema, loginResponseSchema, meSchema, toMe } from './auth.models';
import type { AuthUsecases } from './auth.usecases';

export interface SessionCookieOptions {
  name: string;
  secure: boolean;
  ttlMs: number;
}

/**
 * Either scheme works. Declared with a wide type on purpose: an inline array literal
 * makes @hono/zod-openapi lose the route's path type, and with it the typed client.
 */
export const callerSecurity: Array<Record<string, string[]>> = [{ session: [] }, { apiKey: [] }];

const loginRoute = createRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['auth'],
  summary: 'Sign in with email and password; sets the session cookie',
  request: {
    body: { required: true, content: { 'application/json': { schema: loginBodySchema } } },
  },
  responses: {
    200: {
      description: 'Signed in',
      content: { 'application/json': { schema: loginResponseSchema } },
    },
    400: { description: 'Invalid fields', content: problemContent },
    401: {
      description: 'Wrong email or password (`auth.invalid_credentials`)',
      content: problemContent,
    },
  },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['auth'],
  summary: 'Sign out: ends the session and clears the cookie',
  responses: { 204: { description: 'Signed out (also when no session was open)' } },
});

const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['auth'],
  summary: 'The signed-in user, or the API key in use',
  security: callerSecurity,
  responses: {
    200: { description: 'The caller', content: { 'application/json': { schema: meSchema } } },
    401: { description: 'Not signed in (`auth.unauthenticated`)', content: problemContent },
  },
});

export function createAuthRoutes({
  auth,
  cookie,
}: {
  auth: AuthUsecases;
  cookie: SessionCookieOptions;
}) {
  return createRouter()
    .openapi(loginRoute, async (c) => {
      const { token, user, expiresAt } = await auth.login(c.req.valid('json'));
      setCookie(c, cookie.name, token, {
        httpOnly: true,
        sameSite: 'Strict',
        secure: cookie.secure,
        path: '/',
        maxAge: Math.floor(cookie.ttlMs / 1000),
      });
      c.get('logger').info({ userId: user.id }, 'signed in');
      const me = {
        kind: 'user' as const,
        id: user.id,
        name: user.name,
        email: user.email,
        role: user.role,
        tenantId: user.tenantId,
      };
      return c.json({ me, expiresAt: expiresAt.toISOString() }, 200);
    })
    .openapi(logoutRoute, async (c) => {
      const token = getCookie(c, cookie.name);
      if (token) await auth.logout(token);
      deleteCookie(c, cookie.name, { path: '/', secure: cookie.secure });
      return c.body(null, 204);
    })
    .openapi(meRoute, (c) => c.json(toMe(requirePrincipal(c)), 200));
}
