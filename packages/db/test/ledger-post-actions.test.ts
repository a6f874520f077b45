import { describe, expect, it } from 'vitest';
import { createLedgerRepository, createMailboxesRepository, ingestDecision } from '../src/index';
import { engines, useMigratedDatabase } from './engines';
import { mailboxSettings, makeTenant, normalClassification } from './fixtures';

describe.each(engines)('batched post-action bookkeeping on $kind', (engine) => {
  const database = useMigratedDatabase(engine);

  it('marks a whole batch of post-actions done in one call and leaves other rows alone', async () => {
    const { db } = database();
    const tenant = await makeTenant(db);
    const mailbox = await createMailboxesRepository({ db }).create({
      tenantId: tenant.id,
      settings: mailboxSettings(),
    });
    const skip = {
      kind: 'skip' as const,
      code: 'skipped',
      reason: 'skipped',
      classification: normalClassification,
    };
    const ids: string[] = [];
    for (const uid of [1, 2, 3]) {
      const result = await ingestDecision({
        db,
        mailbox: { id: mailbox.id, tenantId: tenant.id },
        folder: 'INBOX',
        uidValidity: 7n,
        uid,
        decision: skip,
        postAction: { action: 'mark_seen' },
      });
      ids.push(result.entry.id);
    }
    const ledger = createLedgerRepository({ db });
    await ledger.markPostActionsDone([ids[0]!, ids[2]!, 'not-a-uuid']);
    await ledger.markPostActionsDone([]);
    const pending = await ledger.listPendingPostActions(mailbox.id);
    expect(pending.map((entry) => entry.uid)).toEqual([2]);
    const done = await ledger.get(ids[0]!);
    expect(done).toMatchObject({ postActionState: 'done', postActionAttempts: 1 });
  });
});
