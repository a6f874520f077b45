/**
 * Builds the whole HTTP application from its dependencies: middleware order,
 * feature routers, the OpenAPI document, API 404s and the admin app. No I/O
 * happens here; the caller owns the database and the server. The chained
 * return value types the admin app's hono/client (see ../client.ts).
 */
import type { Database } from '@mailroom/db';
import {
  createApiKeysRepository,
  createBlobsRepository,
  createMailboxesRepository,
  createOffersRepository,
  createSecretBox,
  createSessionsRepository,
  createTemplatesRepository,
  createTicketsRepository,
  createTicketTypesRepository,
  createUsersRepository,
} from '@mailroom/db';
import { secureHeaders } from 'hono/secure-headers';
import { createAdminAppRoutes } from '../admin-app/admin-app.routes';
import { authenticate } from '../auth/auth.middleware';
import { createAuthRoutes } from '../auth/auth.routes';
import { createAuthUsecases } from '../auth/auth.usecases';
import { createCatalogRoutes } from '../catalog/catalog.routes';
import { createCatalogUsecases } from '../catalog/catalog.usecases';
import { createConnectivityRoutes } from '../connectivity/connectivity.routes';
import { createConnectivityUsecases } from '../connectivity/connectivity.usecases';
import { createHealthRoutes } from '../health/health.routes';
import { createMailboxesRoutes } from '../mailboxes/mailboxes.routes';
import { createMailboxesUsecases } from '../mailboxes/mailboxes.usecases';
import { createPendingSealer } from '../oauth/oauth-pending';
import { createOAuthRoutes } from '../oauth/oauth.routes';
import { createOAuthUsecases } from '../oauth/oauth.usecases';
import { createTicketsRoutes } from '../tickets/tickets.routes';
import { createTicketsUsecases } from '../tickets/tickets.usecases';
import { apiNotFound, createErrorHandler } from './errors.middleware';
import type { Logger } from './logger';
import { requestLogger } from './request-logger.middleware';
import { createRouter } from './router';

export interface AppDeps {
  database: Database;
  logger: Logger;
  /** The 32-byte master key that encrypts mailbox secrets (MAILROOM_SECRET_KEY). */
  secretKey: Uint8Array;
  /** The built admin app (index.html + assets). */
  adminDistDir: string;
  session: {
    ttlMs: number;
    /** Secure cookies; true when the public URL is https. */
    secure: boolean;
  };
  now?: () => Date;
  /**
   * Where links into the admin app point (the OAuth callback's redirect). Default '': the
   * same origin, which is right when this server serves the admin app.
   */
  adminBaseUrl?: string;
}

export const apiVersionPrefix = '/api/v1';

export function createApp(deps: AppDeps) {
  const { database, logger } = deps;
  const users = createUsersRepository({ db: database.db });
  const sessions = createSessionsRepository({ db: database.db });
  const apiKeys = createApiKeysRepository({ db: database.db });
  const auth = createAuthUsecases({
    users,
    sessions,
    apiKeys,
    sessionTtlMs: deps.session.ttlMs,
    ...(deps.now ? { now: deps.now } : {}),
  });
  const secretBox = createSecretBox({ masterKey: deps.secretKey });
  const mailboxes = createMailboxesUsecases({ database, secretBox });
  const mailboxesRepository = createMailboxesRepository({ db: database.db, secretBox });
  const connectivity = createConnectivityUsecases({ mailboxes: mailboxesRepository });
  const oauth = createOAuthUsecases({
    mailboxes: mailboxesRepository,
    sealer: createPendingSealer(deps.secretKey),
    ...(deps.now ? { now: () => deps.now!().getTime() } : {}),
  });
  const catalog = createCatalogUsecases({
    templates: createTemplatesRepository({ db: database.db }),
    ticketTypes: createTicketTypesRepository({ db: database.db }),
    offers: createOffersRepository({ db: database.db }),
  });
  const tickets = createTicketsUsecases({
    tickets: createTicketsRepository({ db: database.db }),
    blobs: createBlobsRepository({ db: database.db }),
  });
  // The __Host- prefix makes browsers refuse the cookie unless it is Secure, path=/ and host-only.
  const cookie = {
    name: deps.session.secure ? '__Host-mailroom_session' : 'mailroom_session',
    secure: deps.session.secure,
    ttlMs: deps.session.ttlMs,
  };

  const app = createRouter();
  app.onError(createErrorHandler(logger));
  app.notFound(apiNotFound);
  app.use(requestLogger(logger));
  app.use(
    secureHeaders({
      // A route that sets one of these headers itself keeps it: the message HTML and
      // attachment downloads send their own, stricter Content-Security-Policy.
      overwrite: false,
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    }),
  );
  app.use(`${apiVersionPrefix}/*`, authenticate({ auth, cookieName: cookie.name }));

  const routes = app
    .route('/', createHealthRoutes({ database }))
    .route(apiVersionPrefix, createAuthRoutes({ auth, cookie }))
    .route(apiVersionPrefix, createConnectivityRoutes({ connectivity }))
    .route(apiVersionPrefix, createMailboxesRoutes({ mailboxes }))
    .route(
      apiVersionPrefix,
      createOAuthRoutes({
        oauth,
        secureCookies: deps.session.secure,
        adminBaseUrl: (deps.adminBaseUrl ?? '').replace(/\/+$/, ''),
      }),
    )
    .route(apiVersionPrefix, createCatalogRoutes({ catalog }))
    .route(apiVersionPrefix, createTicketsRoutes({ tickets }));

  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: cookie.name,
    description: 'Set by POST /api/v1/auth/login.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (`mr_...`) made with `pnpm mailroom key create`.',
  });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Mailroom API',
      version: '1',
      description: 'The Email Channel of a helpdesk. Errors are RFC 9457 problem+json.',
    },
  });
  app.all('/api/*', apiNotFound);
  app.route('/', createAdminAppRoutes({ distDir: deps.adminDistDir }));
  return routes;
}

export type App = ReturnType<typeof createApp>;
