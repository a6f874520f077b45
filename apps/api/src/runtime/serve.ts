/**
 * Brings a configured API process up in order (secret key, database,
 * migrations, first admin, HTTP, optional ingestion engine) and down in the
 * reverse order. Shared by `mailroom start` and `mailroom api`; the commands
 * decide what to run and when to stop.
 */
import { createUsersRepository, createTenantsRepository } from '@mailroom/db';
import { createApp } from '../app/create-app';
import type { Logger } from '../app/logger';
import type { ApiConfig } from '../config/load-config';
import { loadSecretKey } from '../config/load-config';
import { startHttpServer, type HttpServerHandle } from '../server/http-server';
import { ensureFirstAdmin } from '../users/users.usecases';
import type { CreateIngestionEngine, IngestionEngine } from './ingestion-engine';
import { describeDatabase, openDatabase } from './open-database';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  config: ApiConfig;
  logger: Logger;
  /** Human output: the address and, once, generated first-admin credentials. */
  stdout: NodeJS.WritableStream;
  /** null: API only. */
  createEngine: CreateIngestionEngine | null;
}

export async function serveApi({
  config,
  logger,
  stdout,
  createEngine,
}: ServeOptions): Promise<RunningApi> {
  const secretKey = loadSecretKey(config);
  if (secretKey.source === 'generated') {
    logger.warn(
      { path: secretKey.path },
      'generated a new secret key; back it up with the data folder',
    );
  }

  const database = await openDatabase(config);
  let http: HttpServerHandle | null = null;
  let engine: IngestionEngine | null = null;
  const close = async () => {
    await http?.close();
    await engine?.stop();
    await database.close();
  };

  try {
    logger.info({ database: describeDatabase(config) }, 'applying migrations');
    await database.migrate();
    const firstAdmin = await ensureFirstAdmin(
      {
        users: createUsersRepository({ db: database.db }),
        tenants: createTenantsRepository({ db: database.db }),
      },
      config.firstAdmin,
    );

    http = await startHttpServer({
      fetch: createApp({
        database,
        logger,
        secretKey: secretKey.key,
        adminDistDir: config.adminDistDir,
        session: {
          ttlMs: config.sessionTtlMs,
          secure: config.http.publicUrl?.startsWith('https:') ?? false,
        },
      }).fetch,
      host: config.http.host,
      port: config.http.port,
    });
    const publicUrl = config.http.publicUrl ?? http.url;

    if (createEngine) {
      engine = createEngine({
        database,
        secretKey: secretKey.key,
        logger: logger.child({ component: 'ingest' }),
      });
      await engine.start();
    } else {
      logger.warn('no ingestion engine in this process: mailboxes are not read');
    }

    logger.info({ url: http.url, publicUrl }, 'listening');
    if (firstAdmin.created)
      printFirstAdmin(
        stdout,
        firstAdmin.user.email,
        firstAdmin.passwordGenerated ? firstAdmin.password : null,
      );
    stdout.write(`Mailroom is running at ${publicUrl}\n`);
    return { url: http.url, close };
  } catch (error) {
    await close().catch((closeError: unknown) =>
      logger.error({ err: closeError }, 'cleanup after a failed start failed'),
    );
    throw error;
  }
}

function printFirstAdmin(
  stdout: NodeJS.WritableStream,
  email: string,
  generatedPassword: string | null,
): void {
  if (generatedPassword === null) {
    stdout.write(
      `Created the first admin ${email} with the password from MAILROOM_ADMIN_PASSWORD.\n`,
    );
    return;
  }
  stdout.write(
    [
      'Created the first admin account. The password is shown this once; store it now:',
      `  email:    ${email}`,
      `  password: ${generatedPassword}`,
      '',
    ].join('\n'),
  );
}
