import { describe, expect, it } from 'vitest';
import { createRepositories } from '../src/index';
import { engines, useMigratedDatabase } from './engines';
import { mailboxSettings, makeTenant } from './fixtures';

describe.each(engines)('ingest attempts on $kind', (engine) => {
  const database = useMigratedDatabase(engine);

  const setup = async () => {
    const { db } = database();
    const repositories = createRepositories({ db });
    const tenant = await makeTenant(db);
    const mailbox = await repositories.mailboxes.create({
      tenantId: tenant.id,
      settings: mailboxSettings(),
    });
    return { attempts: repositories.ingestAttempts, mailboxId: mailbox.id };
  };

  it('remembers a mail’s failed tries by ledger position until cleared', async () => {
    const { attempts, mailboxId } = await setup();
    const position = { mailboxId, folder: 'INBOX', uidValidity: 4_000_000_000n, uid: 7 };
    expect(await attempts.get(position)).toBeNull();
    await attempts.set(position, { attempts: 1, lastError: null });
    await attempts.set(position, { attempts: 2, lastError: 'invalid byte sequence' });
    expect(await attempts.get(position)).toEqual({
      attempts: 2,
      lastError: 'invalid byte sequence',
    });
    expect(await attempts.get({ ...position, uidValidity: 1n })).toBeNull();
    expect(await attempts.get({ ...position, uid: 8 })).toBeNull();
    await attempts.clear(position);
    expect(await attempts.get(position)).toBeNull();
  });

  it('forgets the counts of a mailbox that is removed', async () => {
    const { db } = database();
    const { attempts, mailboxId } = await setup();
    const position = { mailboxId, folder: 'INBOX', uidValidity: 1n, uid: 1 };
    await attempts.set(position, { attempts: 3, lastError: 'boom' });
    await createRepositories({ db }).mailboxes.remove(mailboxId);
    expect(await attempts.get(position)).toBeNull();
  });
});
