/*
 * A vitest `globalSetup` that starts the shared services once per run, in the main
 * vitest process, before any worker forks. Everything it starts is handed to workers
 * through environment variables (workers inherit process.env at fork time) and through
 * `project.provide`; it must stay cheap when a service is already supplied from outside
 * (e.g. CI exporting MAILROOM_TEST_PG_ADMIN_URL), and it must stop what it started.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { TEST_CA_DIR_ENV } from './entra-fake';
import { startPostgres } from './postgres';
import { POSTGRES_ADMIN_URL_ENV } from './postgres-shared';
import { makeTempDir, removeDir } from './temp-dir';
import { createCertificateAuthority } from './tls';

declare module 'vitest' {
  export interface ProvidedContext {
    mailroomPostgresAdminUrl: string;
    mailroomTestCaDir: string;
  }
}

export interface GlobalSetupOptions {
  /** Start one PostgreSQL cluster for the run (default true). */
  postgres?: boolean;
  /**
   * Create one test CA and make workers trust it through NODE_EXTRA_CA_CERTS (default
   * true). startEntraFake() signs its HTTPS certificate with it, so msal-node in the test
   * process accepts the fake without any TLS option.
   */
  ca?: boolean;
}

export type GlobalSetup = (project: TestProject) => Promise<() => Promise<void>>;

/** Builds a vitest globalSetup function: `export default createGlobalSetup({ ... })`. */
export function createGlobalSetup(options: GlobalSetupOptions = {}): GlobalSetup {
  return async (project) => {
    const teardowns: (() => Promise<void>)[] = [];
    const previous = {
      [POSTGRES_ADMIN_URL_ENV]: process.env[POSTGRES_ADMIN_URL_ENV],
      [TEST_CA_DIR_ENV]: process.env[TEST_CA_DIR_ENV],
      NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS,
    };
    try {
      if (options.postgres !== false) {
        let adminUrl = process.env[POSTGRES_ADMIN_URL_ENV];
        if (!adminUrl) {
          const cluster = await startPostgres();
          teardowns.push(() => cluster.stop());
          adminUrl = cluster.url;
          process.env[POSTGRES_ADMIN_URL_ENV] = adminUrl;
        }
        project.provide('mailroomPostgresAdminUrl', adminUrl);
      }
      if (options.ca !== false) {
        const dir = await makeTempDir('ca');
        teardowns.push(() => removeDir(dir));
        const ca = await createCertificateAuthority(dir);
        // Node reads NODE_EXTRA_CA_CERTS once, at start-up: workers forked after this see
        // it. Keep any bundle that was configured already.
        const bundlePath = join(dir, 'bundle.pem');
        const existing = process.env.NODE_EXTRA_CA_CERTS;
        const earlier = existing ? await readFile(existing, 'utf8').catch(() => '') : '';
        await writeFile(bundlePath, `${earlier.trim()}\n${ca.certPem}`.trim() + '\n');
        process.env.NODE_EXTRA_CA_CERTS = bundlePath;
        process.env[TEST_CA_DIR_ENV] = dir;
        project.provide('mailroomTestCaDir', dir);
      }
    } catch (error) {
      for (const teardown of teardowns.reverse()) await teardown();
      throw error;
    }
    return async () => {
      for (const teardown of teardowns.reverse()) await teardown();
      for (const [key, value] of Object.entries(previous)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    };
  };
}

export default createGlobalSetup();
