/**
 * Binds the Hono app to a Node HTTP server and gives back its real address
 * (port 0 picks a free one) and a close() that stops accepting, lets
 * in-flight requests finish for a moment, then drops idle keep-alive sockets.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';

export interface HttpServerHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface HttpServerOptions {
  fetch: (request: Request) => Response | Promise<Response>;
  host: string;
  port: number;
  /** How long close() waits for in-flight requests before cutting connections. */
  closeGraceMs?: number;
}

export function startHttpServer(options: HttpServerOptions): Promise<HttpServerHandle> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: options.fetch, hostname: options.host, port: options.port },
      (info: AddressInfo) => {
        server.off('error', onStartError);
        const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
        resolve({
          url: `http://${host}:${info.port}`,
          port: info.port,
          close: () => closeServer(server as Server, options.closeGraceMs ?? 5000),
        });
      },
    );
    const onStartError = (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'EADDRINUSE'
          ? `${options.host}:${options.port} is already in use; set MAILROOM_PORT to another port`
          : error.code === 'EADDRNOTAVAIL'
            ? `${options.host} is not an address of this machine; check MAILROOM_HOST`
            : error.message;
      reject(
        new Error(`Cannot listen on ${options.host}:${options.port}: ${reason}`, { cause: error }),
      );
    };
    server.once('error', onStartError);
  });
}

function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
  });
}
