import { existsSync } from 'node:fs';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  POSTGRES_ADMIN_URL_ENV,
  dropPostgresDatabase,
  freshPostgresDatabase,
  startPostgres,
} from '@mailroom/testkit';

const clients: postgres.Sql[] = [];
function connect(url: string): postgres.Sql {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  clients.push(sql);
  return sql;
}
afterAll(async () => {
  await Promise.all(clients.map((sql) => sql.end({ timeout: 1 })));
});

describe('startPostgres', () => {
  it('runs a private cluster on 127.0.0.1 that answers SQL and disappears on stop', async () => {
    const cluster = await startPostgres();
    try {
      expect(cluster.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      const sql = connect(cluster.url);
      const [row] =
        await sql`select current_setting('fsync') as fsync, inet_server_addr()::text as addr, 6 * 7 as answer`;
      expect(row).toEqual({ fsync: 'off', addr: '127.0.0.1/32', answer: 42 });
      await sql.end();
    } finally {
      await cluster.stop();
    }
    expect(existsSync(cluster.dir)).toBe(false);
    const after = connect(cluster.url);
    await expect(after`select 1`).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('creates isolated databases, optionally cloned from a template', async () => {
    const cluster = await startPostgres();
    try {
      const templateUrl = await cluster.createDatabase('seeded');
      const seeded = connect(templateUrl);
      await seeded`create table mailboxes (id int primary key)`;
      await seeded`insert into mailboxes values (1), (2)`;
      await seeded.end();

      const cloneUrl = await cluster.createDatabase(undefined, { template: 'seeded' });
      expect(cloneUrl).toMatch(/\/test_[0-9a-f]{12}$/);
      const [count] = await connect(cloneUrl)`select count(*)::int as n from mailboxes`;
      expect(count?.n).toBe(2);

      const emptyUrl = await cluster.createDatabase();
      const [tables] = await connect(emptyUrl)`
        select count(*)::int as n from information_schema.tables where table_schema = 'public'`;
      expect(tables?.n).toBe(0);
    } finally {
      await cluster.stop();
    }
  });
});

describe('freshPostgresDatabase', () => {
  it('creates a new database in the cluster the global setup shared with this worker', async () => {
    const adminUrl = inject('mailroomPostgresAdminUrl');
    expect(process.env[POSTGRES_ADMIN_URL_ENV]).toBe(adminUrl);
    const [a, b] = await Promise.all([freshPostgresDatabase(), freshPostgresDatabase()]);
    expect(a).not.toBe(b);
    expect(new URL(a!).host).toBe(new URL(adminUrl).host);

    const sql = connect(a!);
    await sql`create table t (v text)`;
    await sql`insert into t values ('only in a')`;
    const [other] = await connect(b!)`select to_regclass('public.t') as t`;
    expect(other?.t).toBeNull();

    await sql.end();
    await dropPostgresDatabase(a!);
    const [gone] = await connect(adminUrl)`
      select count(*)::int as n from pg_database where datname = ${new URL(a!).pathname.slice(1)}`;
    expect(gone?.n).toBe(0);
  });
});
