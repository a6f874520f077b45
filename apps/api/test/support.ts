/**
 * Test wiring: a real app on a real in-memory PGlite with real migrations,
 * plus a log sink the tests can read. One database per test file (PGlite
 * takes seconds to start); tests create their own users so they stay
 * independent.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import {
  createApiKeysRepository,
  createDatabase,
  createTenantsRepository,
  createUsersRepository,
  type Database,
} from '@mailroom/db';
import type { UserRole } from '@mailroom/domain';
import { createApp } from '../src/app/create-app';
import { createLogger } from '../src/app/logger';

export class LogSink extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
  entries(): Array<Record<string, unknown>> {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

export async function openTestDatabase(options: { migrate?: boolean } = {}): Promise<Database> {
  const database = await createDatabase({ memory: true });
  if (options.migrate ?? true) await database.migrate();
  return database;
}

export async function makeAdminDist(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-admin-dist-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(
    join(dir, 'index.html'),
    '<!doctype html><title>Mailroom test shell</title><div id="app"></div>',
  );
  await writeFile(join(dir, 'assets', 'app-abc123.js'), 'console.log("admin")');
  return dir;
}

export const removeDir = (dir: string) => rm(dir, { recursive: true, force: true });

export function buildApp(
  database: Database,
  options: { adminDistDir?: string; secure?: boolean; secretKey?: Uint8Array } = {},
) {
  const logs = new LogSink();
  const app = createApp({
    database,
    logger: createLogger({ level: 'info', destination: logs }),
    secretKey: options.secretKey ?? randomBytes(32),
    adminDistDir: options.adminDistDir ?? join(tmpdir(), 'mailroom-no-admin-dist'),
    session: { ttlMs: 60 * 60 * 1000, secure: options.secure ?? false },
  });
  return { app, logs };
}

let counter = 0;
export async function createTestUser(
  database: Database,
  input: { role?: UserRole; password?: string } = {},
) {
  const tenant = await createTenantsRepository({ db: database.db }).ensure({
    slug: 'default',
    name: 'Default',
  });
  counter += 1;
  const password = input.password ?? 'a sufficiently long password';
  const user = await createUsersRepository({ db: database.db }).create({
    tenantId: tenant.id,
    email: `user${counter}-${Date.now()}@example.test`,
    name: `Test User ${counter}`,
    role: input.role ?? 'agent',
    password,
  });
  return { user, password };
}

export async function createTestApiKey(database: Database, role: UserRole = 'agent') {
  const tenant = await createTenantsRepository({ db: database.db }).ensure({
    slug: 'default',
    name: 'Default',
  });
  return createApiKeysRepository({ db: database.db }).create({
    tenantId: tenant.id,
    name: 'test key',
    role,
  });
}

export const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** The `name=value` pair of a Set-Cookie header, to send back as Cookie. */
export const cookiePair = (setCookie: string | null): string =>
  (setCookie ?? '').split(';')[0] ?? '';
