/*
 * A vitest `globalSetup` that starts the shared services once per run, in the main
 * vitest process, before any worker forks. Everything it starts is handed to workers
 * through environment variables (workers inherit process.env at fork time) and through
 * `project.provide`; it must stay cheap when a service is already supplied from outside
 * (e.g. CI exporting MAILROOM_TEST_PG_ADMIN_URL), and it must stop what it started.
 */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres';
import { POSTGRES_ADMIN_URL_ENV } from './postgres-shared';

declare module 'vitest' {
  export interface ProvidedContext {
    mailroomPostgresAdminUrl: string;
  }
}

export interface GlobalSetupOptions {
  /** Start one PostgreSQL cluster for the run (default true). */
  postgres?: boolean;
}

export type GlobalSetup = (project: TestProject) => Promise<() => Promise<void>>;

/** Builds a vitest globalSetup function: `export default createGlobalSetup({ ... })`. */
export function createGlobalSetup(options: GlobalSetupOptions = {}): GlobalSetup {
  return async (project) => {
    const teardowns: (() => Promise<void>)[] = [];
    const previous = { [POSTGRES_ADMIN_URL_ENV]: process.env[POSTGRES_ADMIN_URL_ENV] };
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
