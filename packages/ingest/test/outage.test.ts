/**
 * A mail server outage, with shortened settings (max tries 3, backoff x0.2,
 * cool-off 0.05 min = 3 s): the health shows attempt k of max with the next
 * attempt's time and the last error, then `failed` cooling off; no attempt
 * is made before the cool-off ends; and when the server is back, the mail
 * delivered during the outage is ingested. Runs on PGlite and PostgreSQL.
 */
import { chown, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MailboxHealth } from '@mailroom/domain';
import { generateMails } from '@mailroom/testkit';
import { describe, expect, it } from 'vitest';
import { BASE_DELAY_MS } from '../src/index';
import { engines } from './support/engines';
import { useEngineHarness } from './support/engine-harness';
import { createTestMailbox, ledgerCounts, startEngine, waitFor } from './support/fixtures';

const SCALE = 0.2;
/** Debian's `mail` user and group, which own the test Dovecot's Maildirs. */
const MAIL_UID = 8;

interface Seen {
  at: number;
  health: MailboxHealth;
}

describe.each(engines)('outage on $kind', (engine) => {
  const h = useEngineHarness(engine);

  it('retries with backoff up to max tries, cools off, and ingests what arrived meanwhile', async () => {
    const { mailbox, user } = await createTestMailbox(h.repositories, h.dovecot, {
      settings: { policy: { maxTries: 3, coolOffMinutes: 0.05 } },
    });
    h.running = await startEngine(h.database, h.repositories, {
      engine: { retryDelayScale: SCALE },
    });
    await waitFor('listening', async () => {
      return (await h.repositories.mailboxes.get(mailbox.id))?.health.state === 'listening';
    });

    // Record every health change while the server is down.
    const seen: Seen[] = [];
    let recording = true;
    const recorder = (async () => {
      while (recording) {
        const health = (await h.repositories.mailboxes.get(mailbox.id))!.health;
        const last = seen[seen.length - 1]?.health;
        if (last === undefined || last.updatedAt !== health.updatedAt)
          seen.push({ at: Date.now(), health });
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    })();

    await h.dovecot.pause();
    const failed = await waitFor(
      'failed',
      async () => seen.find((entry) => entry.health.state === 'failed'),
      10_000,
    );
    try {
      // Delivered while IMAP is down, the way a local delivery agent does: files in Maildir/new.
      const inbox = join(h.dovecot.dir, 'mail', user, 'Maildir', 'new');
      const backlog = generateMails('outage', 5);
      for (const [index, mail] of backlog.entries()) {
        const file = join(inbox, `${Date.now()}.outage${index}.mailroom-test`);
        await writeFile(file, mail.raw);
        await chown(file, MAIL_UID, MAIL_UID);
      }
      await h.dovecot.resume();
      await waitFor(
        'the backlog',
        async () => (await ledgerCounts(h.database, mailbox.id)).rows === 5,
      );
      await waitFor('listening again', async () => {
        return (await h.repositories.mailboxes.get(mailbox.id))?.health.state === 'listening';
      });
    } finally {
      recording = false;
      await recorder;
    }

    const retries = seen.filter((entry) => entry.health.state === 'retrying');
    expect(retries.map((entry) => entry.health.attempt)).toEqual([1, 2]);
    for (const { health } of retries) {
      expect(health.maxAttempts).toBe(3);
      expect(health.lastErrorCode).toMatch(/^mail\./);
      expect(health.lastErrorMessage).toBeTruthy();
      // Full-jitter backoff: between half and all of BASE * 2^(k-1), scaled.
      const step = BASE_DELAY_MS * 2 ** (health.attempt - 1) * SCALE;
      const delay = Date.parse(health.nextAttemptAt!) - Date.parse(health.updatedAt!);
      expect(delay).toBeGreaterThanOrEqual(step / 2 - 50);
      expect(delay).toBeLessThanOrEqual(step + 50);
    }
    expect(failed.health).toMatchObject({ attempt: 3, maxAttempts: 3 });
    expect(failed.health.lastErrorCode).toBe('mail.connection_refused');
    const coolOffUntil = Date.parse(failed.health.nextAttemptAt!);
    expect(coolOffUntil - Date.parse(failed.health.updatedAt!)).toBeGreaterThanOrEqual(2900);
    expect(coolOffUntil - Date.parse(failed.health.updatedAt!)).toBeLessThanOrEqual(3100);
    // The next round starts only after the cool-off.
    const nextRound = seen.find(
      (entry) => entry.at > failed.at && entry.health.state === 'connecting',
    );
    expect(Date.parse(nextRound!.health.updatedAt!)).toBeGreaterThanOrEqual(coolOffUntil - 20);

    const counts = await ledgerCounts(h.database, mailbox.id);
    expect(counts.rows).toBe(5);
    expect(counts.positions).toBe(5);
  });
});
