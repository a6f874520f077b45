/**
 * Liveness and readiness probes. /healthz only says the process answers;
 * /readyz checks the database and migrations and answers 503 with the reason
 * as problem+json when the API cannot serve.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { makeProblem, problemContent, problemHeaders } from '../app/problem';
import { createRouter } from '../app/router';
import { checkReadiness, type ReadinessDatabase } from './health.usecases';

const liveRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['health'],
  summary: 'The process is alive',
  responses: {
    200: {
      description: 'Alive',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
    },
  },
});

const readyRoute = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['health'],
  summary: 'The database is reachable and migrations are applied',
  responses: {
    200: {
      description: 'Ready to serve',
      content: { 'application/json': { schema: z.object({ status: z.literal('ready') }) } },
    },
    503: { description: 'Not ready; `code` and `detail` say why', content: problemContent },
  },
});

export function createHealthRoutes({ database }: { database: ReadinessDatabase }) {
  return createRouter()
    .openapi(liveRoute, (c) => c.json({ status: 'ok' as const }, 200))
    .openapi(readyRoute, async (c) => {
      const readiness = await checkReadiness({ database });
      if (readiness.ready) return c.json({ status: 'ready' as const }, 200);
      c.get('logger').warn({ code: readiness.code }, readiness.reason);
      const problem = makeProblem({
        status: 503,
        code: readiness.code,
        detail: readiness.reason,
        requestId: c.get('requestId'),
      });
      return c.json(problem, 503, problemHeaders);
    });
}
