/**
 * The fetch building blocks against the private Dovecot: folder selection with UIDVALIDITY and
 * UIDNEXT, batched fetches bounded by size, idempotent post-actions, IDLE.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '@mailroom/testkit';
import {
  fetchMessages,
  fetchSummaries,
  listFolders,
  markSeen,
  moveMessages,
  openFolder,
  openImapSession,
  waitForNewMail,
  type FetchedMessage,
  type ImapSession,
} from '../../src/index';
import { caught, dovecotEndpoint } from '../support/mail-test-support';

const PASSWORD = 'Fetch-Pass-0c1d';
let dovecot: Dovecot;
let session: ImapSession;
let user = 0;
let current = '';

const mail = (subject: string, bodyBytes = 10) =>
  `From: a@example.com\r\nTo: support@example.com\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@example.com>\r\n\r\n${'x'.repeat(bodyBytes)}\r\n`;

const collect = async (iterable: AsyncIterable<FetchedMessage>) => {
  const result: FetchedMessage[] = [];
  for await (const message of iterable) result.push(message);
  return result;
};

beforeAll(async () => {
  dovecot = await startDovecot();
});
afterAll(async () => {
  await dovecot?.stop();
});
beforeEach(async () => {
  user += 1;
  current = `user${user}`;
  await dovecot.addUser(current, PASSWORD);
  session = await openImapSession(dovecotEndpoint(dovecot, current, 'none'), {
    type: 'password',
    password: PASSWORD,
  });
});
afterEach(async () => {
  await session?.close();
});

describe('folders', () => {
  it('opens a folder with its UIDVALIDITY and UIDNEXT', async () => {
    await dovecot.bulkLoad(current, 'INBOX', [mail('a'), mail('b')]);
    const status = await dovecot.status(current, 'INBOX');
    const folder = await openFolder(session.client, 'INBOX');
    expect(folder).toMatchObject({
      path: 'INBOX',
      uidValidity: status.uidValidity,
      uidNext: 3,
      exists: 2,
      readOnly: false,
    });
    expect(folder.highestModseq).toMatch(/^\d+$/);
  });

  it('opening a folder that does not exist fails with folder_not_found', async () => {
    const error = await caught(openFolder(session.client, 'Nope/Missing'));
    expect(error.code).toBe('mail.folder_not_found');
    expect(error.message).toContain('Nope/Missing');
  });

  it('lists folders with counts', async () => {
    await dovecot.createFolder(current, 'Tickets/Done');
    const folders = await listFolders(session.client, { withCounts: true });
    expect(folders.map((folder) => folder.path)).toEqual(['INBOX', 'Tickets', 'Tickets/Done']);
  });
});

describe('fetchMessages', () => {
  it('fetches by UID in batches and reports mails over the limit by size without their source', async () => {
    const small = [mail('s1'), mail('s2'), mail('s3'), mail('s4'), mail('s5')];
    const big = mail('big', 5000);
    await dovecot.bulkLoad(current, 'INBOX', [
      small[0]!,
      small[1]!,
      big,
      small[2]!,
      small[3]!,
      small[4]!,
    ]);
    await openFolder(session.client, 'INBOX');
    const messages = await collect(
      fetchMessages(
        session.client,
        { fromUid: 1 },
        { maxBytes: 2000, batchBytes: 300, batchSize: 2 },
      ),
    );
    expect(messages.map((message) => message.uid)).toEqual([1, 2, 3, 4, 5, 6]);
    const large = messages[2]!;
    expect(large).toMatchObject({ uid: 3, tooLarge: true, source: null });
    expect(large.size).toBeGreaterThan(5000);
    for (const message of messages.filter((entry) => !entry.tooLarge)) {
      expect(message.source?.toString()).toContain('Subject: s');
      expect(message.source?.length).toBe(message.size);
      expect(message.internalDate).toBeInstanceOf(Date);
    }
  });

  it('returns nothing above the highest UID although IMAP answers UID n:* with the last mail', async () => {
    await dovecot.bulkLoad(current, 'INBOX', [mail('only')]);
    await openFolder(session.client, 'INBOX');
    expect(await fetchSummaries(session.client, { fromUid: 2 })).toEqual([]);
    expect((await fetchSummaries(session.client, [1, 99])).map((row) => row.uid)).toEqual([1]);
  });

  it('lets the consumer run commands between messages', async () => {
    await dovecot.bulkLoad(current, 'INBOX', [mail('c1'), mail('c2'), mail('c3')]);
    await openFolder(session.client, 'INBOX');
    for await (const message of fetchMessages(session.client, [1, 2, 3], { maxBytes: 10_000 })) {
      await markSeen(session.client, [message.uid]);
    }
    const stored = await dovecot.messages(current, 'INBOX');
    expect(stored.every((message) => message.flags.includes('\\Seen'))).toBe(true);
  });
});

describe('post-actions are idempotent', () => {
  it('marks mail seen, twice without complaint', async () => {
    await dovecot.bulkLoad(current, 'INBOX', [mail('m1'), mail('m2')]);
    await openFolder(session.client, 'INBOX');
    await markSeen(session.client, [2]);
    await markSeen(session.client, [2]);
    const stored = await dovecot.messages(current, 'INBOX');
    expect(stored.map((message) => message.flags.includes('\\Seen'))).toEqual([false, true]);
  });

  it('moves mail by UID, and moving it again is a no-op', async () => {
    await dovecot.createFolder(current, 'Done');
    await dovecot.bulkLoad(current, 'INBOX', [mail('v1'), mail('v2'), mail('v3')]);
    await openFolder(session.client, 'INBOX');
    const moved = await moveMessages(session.client, [1, 3], 'Done');
    expect([...moved.uidMap.keys()]).toEqual([1, 3]);
    await moveMessages(session.client, [1, 3], 'Done');
    expect((await dovecot.messages(current, 'INBOX')).map((message) => message.messageId)).toEqual([
      '<v2@example.com>',
    ]);
    expect((await dovecot.messages(current, 'Done')).length).toBe(2);
  });

  it('moving to a folder that does not exist fails with folder_not_found', async () => {
    await dovecot.bulkLoad(current, 'INBOX', [mail('w1')]);
    await openFolder(session.client, 'INBOX');
    const error = await caught(moveMessages(session.client, [1], 'Missing/Folder'));
    expect(error.code).toBe('mail.folder_not_found');
    expect((await dovecot.messages(current, 'INBOX')).length).toBe(1);
  });
});

describe('waitForNewMail', () => {
  it('returns when new mail arrives while idling, and leaves IDLE so the caller can fetch', async () => {
    await openFolder(session.client, 'INBOX');
    const started = performance.now();
    const waiting = waitForNewMail(session.client, { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(session.client.idling).toBe(true);
    await dovecot.append(current, 'INBOX', mail('arrived'));
    const result = await waiting;
    expect(result).toEqual({ reason: 'exists', count: 1 });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(session.client.idling).toBe(false);
    const fetched = await fetchSummaries(session.client, { fromUid: 1 });
    expect(fetched.map((row) => row.uid)).toEqual([1]);
  });

  it('times out quietly when nothing arrives', async () => {
    await openFolder(session.client, 'INBOX');
    expect(await waitForNewMail(session.client, { timeoutMs: 300 })).toEqual({ reason: 'timeout' });
    expect(session.client.idling).toBe(false);
    await session.client.noop();
  });

  it('stops when aborted', async () => {
    await openFolder(session.client, 'INBOX');
    const controller = new AbortController();
    const waiting = waitForNewMail(session.client, {
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    expect(await waiting).toEqual({ reason: 'aborted' });
  });
});
