import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freshPostgresDatabase } from '@mailroom/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, createTenantsRepository } from '../src/index';
import { engines } from './engines';
import { hasCode } from './fixtures';

describe.each(engines)('migrations on $kind', (engine) => {
  it('applies every migration to a fresh database, and applying them again changes nothing', async () => {
    const database = await engine.open();
    try {
      expect(database.kind).toBe(engine.kind);
      expect(await database.migrationsApplied()).toBe(false);
      await database.migrate();
      expect(await database.migrationsApplied()).toBe(true);
      await database.migrate();
      expect(await database.migrationsApplied()).toBe(true);
      await database.ping();
      const tenant = await createTenantsRepository({ db: database.db }).create({
        slug: 'after-migrate',
        name: 'A',
      });
      expect(tenant.slug).toBe('after-migrate');
    } finally {
      await database.close();
    }
  });
});

describe('createDatabase', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('keeps PGlite data in the data folder across a close and a reopen', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'mailroom-db-'));
    dirs.push(dataDir);
    const first = await createDatabase({ dataDir: join(dataDir, 'pg') });
    await first.migrate();
    await createTenantsRepository({ db: first.db }).create({ slug: 'kept', name: 'Kept Ltd' });
    await first.close();
    await first.close();

    const second = await createDatabase({ dataDir: join(dataDir, 'pg') });
    try {
      expect(await second.migrationsApplied()).toBe(true);
      await second.migrate();
      const tenant = await createTenantsRepository({ db: second.db }).getBySlug('kept');
      expect(tenant?.name).toBe('Kept Ltd');
    } finally {
      await second.close();
    }
  });

  it('refuses a PGlite data folder another live process holds, and takes over a dead one', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'mailroom-db-')), 'pg');
    dirs.push(dirname(dataDir));
    const lockPath = `${dataDir}.lock`;

    // The parent process (vitest) is alive: its lock must be respected.
    await writeFile(lockPath, JSON.stringify({ pid: process.ppid, host: hostname() }));
    await expect(createDatabase({ dataDir })).rejects.toSatisfy(hasCode('db.data_dir_in_use'));
    await writeFile(lockPath, JSON.stringify({ pid: process.ppid, host: 'another-host' }));
    await expect(createDatabase({ dataDir })).rejects.toSatisfy(hasCode('db.data_dir_in_use'));

    // A pid that no longer runs left its lock behind: taken over, and removed on close.
    await writeFile(lockPath, JSON.stringify({ pid: 2 ** 22 + 17, host: hostname() }));
    const database = await createDatabase({ dataDir });
    expect(JSON.parse(await readFile(lockPath, 'utf8'))).toEqual({
      pid: process.pid,
      host: hostname(),
    });
    await database.close();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('lets several processes migrate one PostgreSQL database at the same time', async () => {
    const url = await freshPostgresDatabase();
    const workers = await Promise.all([1, 2, 3].map(() => createDatabase({ url })));
    try {
      await Promise.all(workers.map((worker) => worker.migrate()));
      for (const worker of workers) expect(await worker.migrationsApplied()).toBe(true);
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
    }
  });

  it('refuses a URL that is not postgres:// and a call without any location', async () => {
    await expect(createDatabase({ url: 'mysql://localhost/x' })).rejects.toSatisfy(
      hasCode('db.unsupported_url'),
    );
    await expect(createDatabase({})).rejects.toSatisfy(hasCode('db.no_location'));
  });

  it('fails ping on an unreachable PostgreSQL instead of hanging', async () => {
    const database = await createDatabase({ url: 'postgres://postgres@127.0.0.1:1/nothing' });
    try {
      await expect(database.ping()).rejects.toThrow();
      expect(await database.migrationsApplied()).toBe(false);
    } finally {
      await database.close();
    }
  });
});
