/**
 * The worker's only HTTP surface, for orchestrators and Prometheus:
 * GET /healthz (the process answers), GET /readyz (database reachable and
 * migrated; 503 with the reason otherwise) and GET /metrics (prom-client).
 * It serves no API and no data.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface ReadinessProbe {
  ping(): Promise<unknown>;
  migrationsApplied(): Promise<boolean>;
}

export interface HealthServerHandle {
  url: string;
  close(): Promise<void>;
}

const json = (status: number, body: unknown, contentType = 'application/json') => ({
  status,
  body: JSON.stringify(body),
  contentType,
});

async function readiness(database: ReadinessProbe, timeoutMs: number) {
  const timeout = <T>(promise: Promise<T>) =>
    Promise.race([
      promise,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref(),
      ),
    ]);
  try {
    await timeout(database.ping());
  } catch (error) {
    return {
      ready: false,
      code: 'health.database_unreachable',
      detail: `The database is not reachable: ${(error as Error).message}`,
    };
  }
  try {
    if (!(await timeout(database.migrationsApplied()))) {
      return {
        ready: false,
        code: 'health.migrations_pending',
        detail: 'Database migrations are not applied yet; run `pnpm mailroom migrate`.',
      };
    }
  } catch (error) {
    return {
      ready: false,
      code: 'health.database_unreachable',
      detail: `The migration state could not be read: ${(error as Error).message}`,
    };
  }
  return { ready: true, code: null, detail: null };
}

export function startHealthServer(options: {
  host: string;
  port: number;
  workerId: string;
  database: ReadinessProbe;
  registry: Registry;
}): Promise<HealthServerHandle> {
  const handle = async (method: string, path: string) => {
    if (method !== 'GET' && method !== 'HEAD')
      return json(405, { code: 'route.method_not_allowed' });
    if (path === '/healthz') return json(200, { status: 'ok', workerId: options.workerId });
    if (path === '/readyz') {
      const result = await readiness(options.database, 3000);
      if (result.ready) return json(200, { status: 'ready', workerId: options.workerId });
      return json(
        503,
        {
          type: `urn:mailroom:problem:${result.code}`,
          title: 'Service unavailable',
          status: 503,
          detail: result.detail,
          code: result.code,
        },
        'application/problem+json',
      );
    }
    if (path === '/metrics') {
      return {
        status: 200,
        body: await options.registry.metrics(),
        contentType: options.registry.contentType,
      };
    }
    return json(404, { code: 'route.not_found' });
  };

  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://worker').pathname;
    handle(request.method ?? 'GET', path).then(
      ({ status, body, contentType }) => {
        response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
        response.end(request.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ code: 'internal.unexpected', detail: (error as Error).message }),
        );
      },
    );
  });

  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `Cannot listen on ${options.host}:${options.port}: ${error.code === 'EADDRINUSE' ? 'already in use; set MAILROOM_WORKER_HEALTH_PORT to another port' : error.message}`,
          { cause: error },
        ),
      ),
    );
    server.listen(options.port, options.host, () => {
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        url: `http://${host}:${address.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}
