/**
 * Connection policy without any connection: a skip window that covers "now"
 * (in the mailbox's time zone, crossing midnight) keeps the engine from
 * connecting at all, and a draft mailbox is never leased nor connected.
 * Asserted on Dovecot's own log. Runs on PGlite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { engines } from './support/engines';
import { useEngineHarness } from './support/engine-harness';
import { createTestMailbox, startEngine, waitFor } from './support/fixtures';

/** A window from one hour ago to one hour ahead, in Tokyo time, as HH:MM (may cross midnight). */
const windowAroundNow = (): { start: string; end: string } => {
  const hhmm = (offsetMs: number) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Tokyo',
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(Date.now() + offsetMs));
  return { start: hhmm(-3_600_000), end: hhmm(3_600_000) };
};

describe.each(engines)('connection policy on $kind', (engine) => {
  const h = useEngineHarness(engine);

  it('never connects inside a skip window, never connects a draft, and reports when the skip ends', async () => {
    const skipped = await createTestMailbox(h.repositories, h.dovecot, {
      settings: {
        policy: { skipWindows: [windowAroundNow()], timeZone: 'Asia/Tokyo', maxTries: 3 },
      },
    });
    const draft = await createTestMailbox(h.repositories, h.dovecot, { status: 'draft' });
    h.running = await startEngine(h.database, h.repositories);

    const health = await waitFor('the skipped state', async () => {
      const current = await h.repositories.mailboxes.get(skipped.mailbox.id);
      return current?.health.state === 'skipped' ? current.health : undefined;
    });
    const until = new Date(health.nextAttemptAt!).getTime();
    expect(until).toBeGreaterThan(Date.now() + 55 * 60_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 61 * 60_000);

    // Several heartbeats later: still no connection of any kind, and the draft was never leased.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await h.dovecot.countConnections()).toBe(0);
    expect(await h.dovecot.countLogins()).toBe(0);
    const draftNow = (await h.repositories.mailboxes.get(draft.mailbox.id))!;
    expect(draftNow.lease.owner).toBeNull();
    expect(draftNow.health.state).toBe('idle');
    expect(h.running.snapshot().mailboxes.map((entry) => entry.mailboxId)).toEqual([
      skipped.mailbox.id,
    ]);
  });
});
