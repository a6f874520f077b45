/**
 * Gives every request an id (a caller's well-formed X-Request-Id is kept) and a
 * child logger, and writes one line per finished request. Only method, path,
 * status and timing are logged: never headers, query strings or bodies, which
 * may carry credentials.
 */
import { randomUUID } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from './app-env';
import type { Logger } from './logger';

const requestIdPattern = /^[A-Za-z0-9._-]{8,128}$/;

export function requestLogger(rootLogger: Logger) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && requestIdPattern.test(incoming) ? incoming : randomUUID();
    const logger = rootLogger.child({ requestId });
    c.set('requestId', requestId);
    c.set('logger', logger);
    c.set('principal', null);
    const started = performance.now();
    await next();
    c.header('x-request-id', requestId);
    const status = c.res.status;
    const principal = c.get('principal');
    const line = {
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      ...(principal
        ? {
            principal: `${principal.kind}:${principal.kind === 'user' ? principal.userId : principal.apiKeyId}`,
          }
        : {}),
    };
    if (status >= 500) logger.error(line, 'request');
    else logger.info(line, 'request');
  });
}
