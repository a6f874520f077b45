/**
 * "Sign in with Microsoft" over HTTP: an admin starts it for a saved mailbox and gets the
 * URL plus a sealed, HttpOnly, SameSite=Lax cookie; Microsoft sends the browser back to the
 * callback, which needs no session (a cross-site return carries no SameSite=Strict session
 * cookie) because the sealed cookie is the proof, and redirects to the admin app.
 */
import { createRoute } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { problemContent } from '../app/problem';
import { createRouter } from '../app/router';
import { requirePrincipal } from '../auth/auth.middleware';
import { callerSecurity } from '../auth/auth.routes';
import { mailboxIdParamsSchema } from '../mailboxes/mailboxes.models';
import { pendingCookieName } from './oauth-pending';
import { adminRedirectFor, authorizeResponseSchema, callbackQuerySchema } from './oauth.models';
import type { OAuthUsecases } from './oauth.usecases';

export const OAUTH_CALLBACK_PATH = '/api/v1/oauth/callback';

const authorizeRoute = createRoute({
  method: 'post',
  path: '/mailboxes/{id}/oauth/authorize',
  tags: ['mailboxes'],
  summary: 'Start "Sign in with Microsoft" for a saved OAuth2 mailbox (admin)',
  security: callerSecurity,
  request: { params: mailboxIdParamsSchema },
  responses: {
    200: {
      description: 'The sign-in URL; a sealed sign-in cookie is set for the callback',
      content: { 'application/json': { schema: authorizeResponseSchema } },
    },
    401: { description: 'Not signed in', content: problemContent },
    403: { description: 'Not an admin (`auth.forbidden`)', content: problemContent },
    404: { description: '`mailbox.not_found`', content: problemContent },
    422: {
      description: '`mailbox.configuration_incomplete`: no OAuth settings or redirect URL',
      content: problemContent,
    },
  },
});

const callbackRoute = createRoute({
  method: 'get',
  path: '/oauth/callback',
  tags: ['mailboxes'],
  summary: "Microsoft's redirect after sign-in; redirects to the admin app",
  request: { query: callbackQuerySchema },
  responses: {
    302: {
      description:
        'To `/mailboxes/{id}?oauth=connected` or `?oauth=error&code=…` (`/mailboxes?…` when the sign-in is unknown)',
    },
  },
});

export function createOAuthRoutes({
  oauth,
  secureCookies,
  adminBaseUrl,
}: {
  oauth: OAuthUsecases;
  secureCookies: boolean;
  /** Prefix of admin app links; '' for the same origin. */
  adminBaseUrl: string;
}) {
  return createRouter()
    .openapi(authorizeRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'admin' });
      const { id } = c.req.valid('param');
      const started = await oauth.start(tenantId, id, c.get('logger').child({ component: 'mail' }));
      setCookie(c, started.cookie.name, started.cookie.value, {
        httpOnly: true,
        sameSite: 'Lax',
        secure: secureCookies,
        path: OAUTH_CALLBACK_PATH,
        maxAge: started.cookie.maxAgeSeconds,
      });
      c.get('logger').info({ mailboxId: id }, 'microsoft sign-in started');
      return c.json({ url: started.url }, 200);
    })
    .openapi(callbackRoute, async (c) => {
      const query = c.req.valid('query');
      const cookieName = query.state === undefined ? undefined : pendingCookieName(query.state);
      const sealed = cookieName === undefined ? undefined : getCookie(c, cookieName);
      const outcome = await oauth.complete({
        callback: {
          ...(query.code === undefined ? {} : { code: query.code }),
          ...(query.state === undefined ? {} : { state: query.state }),
          ...(query.error === undefined ? {} : { error: query.error }),
          ...(query.error_description === undefined
            ? {}
            : { errorDescription: query.error_description }),
        },
        sealed,
        logger: c.get('logger').child({ component: 'mail' }),
      });
      if (cookieName !== undefined && sealed !== undefined) {
        deleteCookie(c, cookieName, { path: OAUTH_CALLBACK_PATH, secure: secureCookies });
      }
      c.get('logger').info(
        outcome.ok
          ? { mailboxId: outcome.mailboxId, account: outcome.account }
          : { mailboxId: outcome.mailboxId, code: outcome.code },
        outcome.ok ? 'microsoft sign-in completed' : 'microsoft sign-in failed',
      );
      return c.redirect(adminRedirectFor(adminBaseUrl, outcome), 302);
    });
}
