/*
 * A throwaway PostgreSQL cluster for integration tests: initdb into a private temp
 * folder, durability switched off (the data dies with the test run), trust auth on
 * 127.0.0.1 and a unix socket inside the temp folder. It must never touch a system
 * cluster, never listen beyond loopback, and never leave a postmaster running: stop()
 * removes everything and a reaper does the same if the owning process dies first.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { appendFile, chown } from 'node:fs/promises';
import { join } from 'node:path';
import postgres from 'postgres';
import { freePort } from './ports';
import { isRoot, requireBinary, run } from './process';
import { armReaper } from './reaper';
import { makeTempDir, removeDir } from './temp-dir';

export interface StartPostgresOptions {
  /** Extra `postgresql.conf` settings, e.g. `{ max_connections: 200 }`. */
  settings?: Record<string, string | number | boolean>;
}

export interface CreateDatabaseOptions {
  /** Clone this database instead of template1 (it must have no open connections). */
  template?: string;
}

export interface PostgresCluster {
  /** postgres:// URL of the `postgres` database as superuser `postgres` (no password). */
  readonly url: string;
  readonly port: number;
  /** The cluster's temp folder (data directory, socket, `postgres.log`). */
  readonly dir: string;
  readonly logPath: string;
  /** Creates a database (random `test_…` name by default) and returns its postgres:// URL. */
  createDatabase(name?: string, options?: CreateDatabaseOptions): Promise<string>;
  /** Drops a database, terminating its connections first. */
  dropDatabase(name: string): Promise<void>;
  /** Stops the server immediately and deletes its temp folder. Idempotent. */
  stop(): Promise<void>;
}

/** Finds the newest installed server binaries (Debian layout), or throws one clear line. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v) && existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) {
    requireBinary(join(root, '15', 'bin', 'initdb'), 'postgresql');
  }
  return join(root, newest ?? '15', 'bin');
}

/** initdb refuses root, so as root every server command runs as the `postgres` user. */
function asPostgresUser(bin: string, args: string[]): [string, string[]] {
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function confValue(value: string | number | boolean): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return `'${value.replaceAll("'", "''")}'`;
}

export function randomDatabaseName(): string {
  return `test_${randomBytes(6).toString('hex')}`;
}

/** Database URL of `name` on the same server as `adminUrl`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** CREATE DATABASE through a short-lived admin connection; works for any reachable server. */
export async function createDatabaseAt(
  adminUrl: string,
  name: string = randomDatabaseName(),
  options: CreateDatabaseOptions = {},
): Promise<string> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const template = options.template ? ` TEMPLATE ${quoteIdent(options.template)}` : '';
    await sql.unsafe(`CREATE DATABASE ${quoteIdent(name)}${template}`);
  } finally {
    await sql.end({ timeout: 5 });
  }
  return databaseUrl(adminUrl, name);
}

export async function dropDatabaseAt(adminUrl: string, name: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const initdb = requireBinary(join(bin, 'initdb'), 'postgresql');
  const pgCtl = requireBinary(join(bin, 'pg_ctl'), 'postgresql');
  const dir = await makeTempDir('pg');
  const dataDir = join(dir, 'data');
  const logPath = join(dir, 'postgres.log');
  if (isRoot()) {
    const { stdout } = await run('id', ['-u', 'postgres']).catch(() => {
      throw new Error('user "postgres" is missing: install the Debian package "postgresql"');
    });
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const stopArgs = ['stop', '-D', dataDir, '-m', 'immediate', '-w', '-t', '30'];
  const reaper = armReaper([asPostgresUser(pgCtl, stopArgs).flat(), ['rm', '-rf', dir]]);
  try {
    await run(
      ...asPostgresUser(initdb, [
        '-D',
        dataDir,
        '-U',
        'postgres',
        '-A',
        'trust',
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
        '--no-instructions',
      ]),
    );
    const settings: Record<string, string | number | boolean> = {
      listen_addresses: '127.0.0.1',
      unix_socket_directories: dir,
      fsync: false,
      synchronous_commit: false,
      full_page_writes: false,
      wal_level: 'minimal',
      max_wal_senders: 0,
      shared_buffers: '32MB',
      max_connections: 100,
      ...options.settings,
    };
    await appendFile(
      join(dataDir, 'postgresql.conf'),
      '\n# mailroom testkit\n' +
        Object.entries(settings)
          .map(([key, value]) => `${key} = ${confValue(value)}`)
          .join('\n') +
        '\n',
    );
    // A probed port may be taken before the postmaster binds it: retry with another.
    let port = 0;
    for (let attempt = 1; ; attempt += 1) {
      port = await freePort();
      try {
        await run(
          ...asPostgresUser(pgCtl, [
            'start',
            '-D',
            dataDir,
            '-l',
            logPath,
            '-w',
            '-t',
            '30',
            '-o',
            `-p ${port}`,
          ]),
        );
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    let stopped = false;
    return {
      url,
      port,
      dir,
      logPath,
      createDatabase: (name, createOptions) => createDatabaseAt(url, name, createOptions),
      dropDatabase: (name) => dropDatabaseAt(url, name),
      async stop() {
        if (stopped) return;
        stopped = true;
        reaper.disarm();
        await run(...asPostgresUser(pgCtl, stopArgs)).catch(() => {});
        await removeDir(dir);
      },
    };
  } catch (error) {
    reaper.disarm();
    await run(...asPostgresUser(pgCtl, stopArgs)).catch(() => {});
    await removeDir(dir);
    throw error;
  }
}
