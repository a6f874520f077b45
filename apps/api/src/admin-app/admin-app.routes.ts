/**
 * Serves the built admin app (apps/admin/dist): hashed assets with a long
 * cache, and index.html for every other GET so client-side routes survive a
 * reload. API paths never reach this router. When the app is not built it
 * says so plainly instead of serving anything else.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { AppEnv } from '../app/app-env';

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Mailroom</title></head>
<body><h1>The admin app is not built</h1>
<p>Build it with <code>pnpm --filter @mailroom/admin build</code> and reload this page.
The API is running: see <a href="/api/openapi.json">/api/openapi.json</a>.</p></body></html>`;

export function createAdminAppRoutes({ distDir }: { distDir: string }) {
  const app = new Hono<AppEnv>();
  app.use('*', async (c, next) => {
    await next();
    if (c.res.status !== 200) return;
    // Vite puts content-hashed files under /assets; everything else must be revalidated.
    const immutable = c.req.path.startsWith('/assets/');
    c.res.headers.set(
      'cache-control',
      immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
  });
  // serveStatic complains on stderr about a missing root; only mount it when there is one.
  if (existsSync(distDir)) app.use('*', serveStatic({ root: distDir }));
  app.get('*', async (c) => {
    // A missing file (old asset hash, typo) is a 404, never the app shell with a 200.
    if (/\.[A-Za-z0-9]+$/.test(c.req.path)) return c.text('Not found', 404);
    let html: string;
    try {
      // Read per request: a rebuild of the admin app shows up without restarting the API.
      html = await readFile(join(distDir, 'index.html'), 'utf8');
    } catch {
      return c.html(notBuiltPage, 404);
    }
    return c.html(html);
  });
  return app;
}
