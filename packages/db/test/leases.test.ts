import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMailboxesRepository, type Db } from '../src/index';
import { mailboxes as mailboxesTable } from '../src/schema';
import { engines, useMigratedDatabase } from './engines';
import { mailboxSettings, makeTenant } from './fixtures';

/** Leases range over every active mailbox in the database, so each test starts from none. */
const pauseEverything = (db: Db) =>
  db
    .update(mailboxesTable)
    .set({ status: 'paused', leaseOwner: null, leaseExpiresAt: null, heartbeatAt: null });

const activeMailboxes = async (db: Db, count: number): Promise<string[]> => {
  const repository = createMailboxesRepository({ db });
  const tenant = await makeTenant(db);
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const mailbox = await repository.create({
      tenantId: tenant.id,
      settings: mailboxSettings({ name: `Box ${i}` }),
    });
    await repository.setStatus(mailbox.id, 'active');
    ids.push(mailbox.id);
  }
  return ids;
};

describe.each(engines)('mailbox leases on $kind', (engine) => {
  const database = useMigratedDatabase(engine);
  beforeEach(async () => {
    await pauseEverything(database().db);
  });

  it('hands each active mailbox to exactly one of several competing workers', async () => {
    const { db } = database();
    const repository = createMailboxesRepository({ db });
    const ids = await activeMailboxes(db, 6);
    const draft = await repository.create({
      tenantId: (await makeTenant(db)).id,
      settings: mailboxSettings(),
    });

    const results = await Promise.all(
      ['w1', 'w2', 'w3', 'w4'].map((owner) =>
        repository.acquireLeases({ owner, limit: 2, ttlMs: 60_000 }),
      ),
    );
    const taken = results.flat().map((lease) => lease.mailboxId);
    expect(taken.sort()).toEqual([...ids].sort());
    expect(taken).not.toContain(draft.id);
    for (const result of results) expect(result.length).toBeLessThanOrEqual(2);

    const leased = await repository.get(ids[0]!);
    expect(leased!.lease.owner).toMatch(/^w[1-4]$/);
    expect(leased!.lease.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    expect(await repository.acquireLeases({ owner: 'w5', limit: 10, ttlMs: 60_000 })).toEqual([]);
    expect(await repository.acquireLeases({ owner: 'w5', limit: 0, ttlMs: 60_000 })).toEqual([]);
  });

  it('lets another worker take a mailbox once its lease expired without heartbeat', async () => {
    const { db } = database();
    const repository = createMailboxesRepository({ db });
    const [id] = await activeMailboxes(db, 1);
    expect(
      (await repository.acquireLeases({ owner: 'dying', limit: 5, ttlMs: 1_000 })).map(
        (l) => l.mailboxId,
      ),
    ).toEqual([id]);
    expect(await repository.acquireLeases({ owner: 'heir', limit: 5, ttlMs: 60_000 })).toEqual([]);
    await sleep(1_200);
    expect(
      (await repository.acquireLeases({ owner: 'heir', limit: 5, ttlMs: 60_000 })).map(
        (l) => l.mailboxId,
      ),
    ).toEqual([id]);
    expect(await repository.heartbeat({ owner: 'dying', ttlMs: 60_000 })).toEqual([]);
    expect((await repository.get(id!))!.lease.owner).toBe('heir');
  });

  it('keeps a lease alive by heartbeat and reports settings changes through the version', async () => {
    const { db } = database();
    const repository = createMailboxesRepository({ db });
    const [id] = await activeMailboxes(db, 1);
    const [lease] = await repository.acquireLeases({ owner: 'w1', limit: 1, ttlMs: 300 });
    await sleep(150);
    const renewed = await repository.heartbeat({ owner: 'w1', ttlMs: 60_000 });
    expect(renewed).toHaveLength(1);
    expect(renewed[0]!.expiresAt.getTime()).toBeGreaterThan(lease!.expiresAt.getTime());
    await sleep(300);
    expect(await repository.acquireLeases({ owner: 'w2', limit: 1, ttlMs: 60_000 })).toEqual([]);

    await repository.updateSettings(id!, { name: 'Renamed' });
    const [afterChange] = await repository.heartbeat({ owner: 'w1', ttlMs: 60_000 });
    expect(afterChange!.settingsVersion).toBe(lease!.settingsVersion + 1);
  });

  it('drops the lease of a mailbox the admin paused at the next heartbeat', async () => {
    const { db } = database();
    const repository = createMailboxesRepository({ db });
    const [keep, pause] = await activeMailboxes(db, 2);
    await repository.acquireLeases({ owner: 'w1', limit: 5, ttlMs: 60_000 });
    await repository.setStatus(pause!, 'paused');
    const held = await repository.heartbeat({ owner: 'w1', ttlMs: 60_000 });
    expect(held.map((lease) => lease.mailboxId)).toEqual([keep]);
    expect((await repository.get(pause!))!.lease.owner).toBeNull();
  });

  it('releases leases on shutdown so another worker can start at once', async () => {
    const { db } = database();
    const repository = createMailboxesRepository({ db });
    const ids = await activeMailboxes(db, 3);
    await repository.acquireLeases({ owner: 'w1', limit: 5, ttlMs: 60_000 });
    expect(await repository.release({ owner: 'w1', mailboxIds: [ids[0]!] })).toBe(1);
    expect(await repository.release({ owner: 'someone-else' })).toBe(0);
    expect(
      (await repository.acquireLeases({ owner: 'w2', limit: 5, ttlMs: 60_000 })).map(
        (l) => l.mailboxId,
      ),
    ).toEqual([ids[0]]);
    expect(await repository.release({ owner: 'w1' })).toBe(2);
    expect(await repository.acquireLeases({ owner: 'w2', limit: 5, ttlMs: 60_000 })).toHaveLength(
      2,
    );
  });

  it('clears expired leases so admins do not see a dead worker as owner', async () => {
    const { db } = database();
    const repository = createMailboxesRepository({ db });
    const [id] = await activeMailboxes(db, 1);
    await repository.acquireLeases({ owner: 'dead', limit: 1, ttlMs: 100 });
    await sleep(200);
    expect(await repository.clearExpiredLeases()).toBeGreaterThanOrEqual(1);
    expect((await repository.get(id!))!.lease).toEqual({
      owner: null,
      expiresAt: null,
      heartbeatAt: null,
    });
  });
});

describe('mailbox leases under row-lock contention on postgres', () => {
  const postgres = engines.find((engine) => engine.kind === 'postgres')!;
  const database = useMigratedDatabase(postgres);

  it('skips a mailbox whose row another transaction holds locked instead of waiting for it', async () => {
    const { db } = database();
    await pauseEverything(db);
    const repository = createMailboxesRepository({ db });
    const [locked, free] = await activeMailboxes(db, 2);

    let releaseLock!: () => void;
    const lockHeld = new Promise<void>((resolve) => {
      releaseLock = resolve;
    });
    let signalLocked!: () => void;
    const isLocked = new Promise<void>((resolve) => {
      signalLocked = resolve;
    });
    const holder = db.transaction(async (tx) => {
      await tx.select().from(mailboxesTable).where(eq(mailboxesTable.id, locked!)).for('update');
      signalLocked();
      await lockHeld;
    });
    await isLocked;
    const started = Date.now();
    const acquired = await repository.acquireLeases({ owner: 'w1', limit: 5, ttlMs: 60_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(acquired.map((lease) => lease.mailboxId)).toEqual([free]);
    releaseLock();
    await holder;
    expect(
      (await repository.acquireLeases({ owner: 'w2', limit: 5, ttlMs: 60_000 })).map(
        (l) => l.mailboxId,
      ),
    ).toEqual([locked]);
  });
});
