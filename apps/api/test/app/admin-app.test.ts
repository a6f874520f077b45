import type { Database } from '@mailroom/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, makeAdminDist, openTestDatabase, removeDir } from '../support';

describe('serving the admin app', () => {
  let database: Database;
  let distDir: string;
  beforeAll(async () => {
    database = await openTestDatabase({ migrate: false });
    distDir = await makeAdminDist();
  });
  afterAll(async () => {
    await database.close();
    await removeDir(distDir);
  });

  it('serves index.html at / and for client-side routes, uncached', async () => {
    const { app } = buildApp(database, { adminDistDir: distDir });
    for (const path of ['/', '/login', '/mailboxes/42/settings']) {
      const response = await app.request(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toContain('Mailroom test shell');
    }
  });

  it('serves hashed assets with a long immutable cache and a strict CSP on pages', async () => {
    const { app } = buildApp(database, { adminDistDir: distDir });
    const asset = await app.request('/assets/app-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toContain('console.log("admin")');
    const page = await app.request('/');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers a missing asset with 404 instead of the app shell', async () => {
    const { app } = buildApp(database, { adminDistDir: distDir });
    const response = await app.request('/assets/app-oldhash.js');
    expect(response.status).toBe(404);
    expect(response.headers.get('cache-control')).toBeNull();
  });

  it('says the admin app is not built instead of serving anything else', async () => {
    const { app } = buildApp(database, { adminDistDir: '/nonexistent/admin/dist' });
    const response = await app.request('/');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('pnpm --filter @mailroom/admin build');
  });
});
