/**
 * A skip window that starts while a session waits in IDLE closes the connection at the window's
 * start, and health reads `skipped` until the window ends; no new connection is made inside it.
 * The engine takes `now`: it runs on a clock set a few seconds before a minute boundary, and the
 * window starts at that boundary, so the test waits seconds, not up to a minute (real timers
 * still run at real speed; only the wall-clock reading is shifted). Runs on PGlite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { engines } from './support/engines';
import { useEngineHarness } from './support/engine-harness';
import { createTestMailbox, startEngine, waitFor } from './support/fixtures';
import { pause, sessionEnds } from './support/oauth-mailbox';

const ZONE = 'America/New_York';
/** How far ahead of the engine's clock the window starts, in real milliseconds. */
const LEAD_MS = 6000;

const hhmm = (at: number) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: ZONE,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(at));

describe.each(engines)('skip window during IDLE on $kind', (engine) => {
  const h = useEngineHarness(engine);

  it('closes the open session when a skip window starts and reports skipped until the window ends', async () => {
    // The engine's clock reads LEAD_MS before the next-but-one minute boundary.
    const windowStart = Math.ceil(Date.now() / 60_000) * 60_000 + 60_000;
    const offset = windowStart - LEAD_MS - Date.now();
    const clock = () => new Date(Date.now() + offset);
    const windowEnd = windowStart + 5 * 60_000;
    const { mailbox, user } = await createTestMailbox(h.repositories, h.dovecot, {
      settings: {
        policy: {
          maxTries: 3,
          timeZone: ZONE,
          skipWindows: [{ start: hhmm(windowStart), end: hhmm(windowEnd) }],
        },
      },
    });
    h.running = await startEngine(h.database, h.repositories, { extra: { now: clock } });
    await waitFor('listening', async () => {
      return (await h.repositories.mailboxes.get(mailbox.id))?.health.state === 'listening';
    });
    expect(clock().getTime()).toBeLessThan(windowStart - 1000);
    expect(await h.dovecot.countLogins(user)).toBe(1);
    expect(await sessionEnds(h.dovecot, user)).toBe(0);

    const closed = await waitFor(
      'the session closed by the window',
      async () => ((await sessionEnds(h.dovecot, user)) === 1 ? clock().getTime() : undefined),
      LEAD_MS + 3000,
    );
    // Closed at the start of the window (not before; within a second after).
    expect(closed).toBeGreaterThanOrEqual(windowStart - 50);
    expect(closed).toBeLessThan(windowStart + 1000);
    const skipped = await waitFor('skipped', async () => {
      const health = (await h.repositories.mailboxes.get(mailbox.id))!.health;
      return health.state === 'skipped' ? health : undefined;
    });
    expect(Date.parse(skipped.nextAttemptAt!)).toBe(windowEnd);

    // Inside the window: no new connection of any kind.
    await pause(1500);
    expect((await h.dovecot.logins()).filter((record) => record.user === user)).toHaveLength(1);
    expect((await h.repositories.mailboxes.get(mailbox.id))!.health.state).toBe('skipped');
  });
});
