import { connect as tcpConnect } from 'node:net';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMails, startDovecot, type Dovecot } from '@mailroom/testkit';

function rawMail(n: number, subject = `Message ${n}`): string {
  return [
    'From: Customer <customer@example.com>',
    'To: support@mailroom.test',
    `Subject: ${subject}`,
    `Message-ID: <m${n}@example.com>`,
    'Date: Tue, 04 Mar 2025 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Body of message ${n}.`,
    '',
  ].join('\r\n');
}

let dovecot: Dovecot;
const clients: ImapFlow[] = [];
async function connect(client: ImapFlow): Promise<ImapFlow> {
  clients.push(client);
  client.on('error', () => {});
  await client.connect();
  return client;
}

beforeAll(async () => {
  dovecot = await startDovecot({ users: { alice: 'alice-secret' } });
});
afterAll(async () => {
  for (const client of clients) client.close();
  await dovecot?.stop();
});

describe('startDovecot', () => {
  it('lets a user log in over implicit TLS, list folders and fetch an appended mail', async () => {
    await dovecot.createFolder('alice', 'Support/Inbound');
    const uid = await dovecot.append('alice', 'Support/Inbound', rawMail(1), ['\\Seen']);
    expect(uid).toBe(1);

    const client = await connect(
      new ImapFlow(dovecot.imapOptions('alice', { password: 'alice-secret' }, 'implicit')),
    );
    expect(client.secureConnection).toBe(true);
    const paths = (await client.list()).map((box) => box.path).sort();
    expect(paths).toEqual(['INBOX', 'Support', 'Support/Inbound']);

    const lock = await client.getMailboxLock('Support/Inbound');
    try {
      const message = await client.fetchOne(
        '1',
        { uid: true, source: true, flags: true },
        { uid: true },
      );
      expect(message && message.source?.toString()).toBe(rawMail(1));
      expect(message && [...(message.flags ?? [])]).toContain('\\Seen');
    } finally {
      lock.release();
    }
    await client.logout();
  });

  it('upgrades the plain port by STARTTLS and rejects clients that do not trust the certificate', async () => {
    const client = await connect(
      new ImapFlow(dovecot.imapOptions('alice', { password: 'alice-secret' }, 'starttls')),
    );
    expect(client.secureConnection).toBe(true);
    await client.logout();

    const untrusted = new ImapFlow({
      host: '127.0.0.1',
      port: dovecot.imapsPort,
      secure: true,
      auth: { user: 'alice', pass: 'alice-secret' },
      logger: false,
    });
    untrusted.on('error', () => {});
    await expect(untrusted.connect()).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    expect(dovecot.certPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('counts logins and failed connections from its log, leaving out its own helpers', async () => {
    await dovecot.addUser('bob', 'bob:colon-pass');
    const before = await dovecot.countLogins('bob');
    expect(before).toBe(0);
    await dovecot.append('bob', 'INBOX', rawMail(2));
    expect(await dovecot.countLogins('bob')).toBe(0);

    const wrong = new ImapFlow(dovecot.imapOptions('bob', { password: 'nope' }, 'none'));
    wrong.on('error', () => {});
    await expect(wrong.connect()).rejects.toMatchObject({ authenticationFailed: true });
    const good = await connect(
      new ImapFlow(dovecot.imapOptions('bob', { password: 'bob:colon-pass' }, 'none')),
    );
    await good.logout();

    await dovecot.waitForLog(/Login: user=<bob>/);
    await dovecot.waitForLog(/auth failed.*user=<bob>/);
    expect(await dovecot.countLogins('bob')).toBe(1);
    const bobRecords = (await dovecot.logins()).filter((record) => record.user === 'bob');
    expect(bobRecords.map((record) => record.success)).toEqual([false, true]);
    expect(bobRecords.every((record) => record.port === dovecot.imapPort && !record.tls)).toBe(
      true,
    );

    const connectionsBefore = await dovecot.countConnections();
    await new Promise<void>((resolve) => {
      const socket = tcpConnect(dovecot.imapPort, '127.0.0.1');
      socket.once('data', () => socket.end());
      socket.once('close', () => resolve());
    });
    await expect
      .poll(() => dovecot.countConnections(), { timeout: 5_000 })
      .toBe(connectionsBefore + 1);

    await dovecot.setPassword('bob', 'changed');
    const stale = new ImapFlow(dovecot.imapOptions('bob', { password: 'bob:colon-pass' }, 'none'));
    stale.on('error', () => {});
    await expect(stale.connect()).rejects.toMatchObject({ authenticationFailed: true });
  });

  it('bulk loads 1,000 generated mails that STATUS counts and UIDs follow in order', async () => {
    const generated = generateMails('dovecot-bulk', 1000);
    const started = Date.now();
    await dovecot.bulkLoad('alice', 'Bulk', [
      ...generated.slice(0, 999).map((mail) => mail.raw),
      {
        raw: generated[999]!.raw,
        flags: ['\\Seen', '\\Flagged'],
        internalDate: generated[999]!.date,
      },
    ]);
    expect(Date.now() - started).toBeLessThan(10_000);

    const status = await dovecot.status('alice', 'Bulk');
    expect(status).toMatchObject({ messages: 1000, unseen: 999, uidNext: 1001 });

    const client = await connect(
      new ImapFlow(dovecot.imapOptions('alice', { password: 'alice-secret' })),
    );
    const imapStatus = await client.status('Bulk', { messages: true, unseen: true });
    expect(imapStatus && imapStatus.messages).toBe(1000);
    const lock = await client.getMailboxLock('Bulk');
    try {
      const last = await client.fetchOne(
        '1000',
        { source: true, internalDate: true },
        { uid: true },
      );
      expect(last && last.source?.equals(generated[999]!.raw)).toBe(true);
      expect(last && new Date(last.internalDate!).getTime()).toBe(generated[999]!.date.getTime());
    } finally {
      lock.release();
    }
    const stored = await dovecot.messages('alice', 'Bulk');
    expect(stored.map((m) => m.messageId)).toEqual(generated.map((m) => m.messageId));
    expect(stored[999]?.flags).toEqual(expect.arrayContaining(['\\Seen', '\\Flagged']));
    await client.logout();
  });

  it('pushes EXISTS to an IDLE client when a mail is appended', async () => {
    const client = await connect(
      new ImapFlow({
        ...dovecot.imapOptions('alice', { password: 'alice-secret' }),
        disableAutoIdle: true,
      }),
    );
    await client.mailboxOpen('INBOX');
    const exists = new Promise<number>((resolve) =>
      client.on('exists', (event) => resolve(event.count)),
    );
    void client.idle();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await dovecot.append('alice', 'INBOX', rawMail(3));
    expect(await exists).toBe(1);
    await client.logout();
  });

  it('refuses connections while paused and serves the same data on the same ports after resume', async () => {
    const client = await connect(
      new ImapFlow(dovecot.imapOptions('alice', { password: 'alice-secret' })),
    );
    await client.mailboxOpen('INBOX');
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    await dovecot.pause();
    await closed;
    expect(dovecot.running).toBe(false);

    const refused = new ImapFlow(dovecot.imapOptions('alice', { password: 'alice-secret' }));
    refused.on('error', () => {});
    await expect(refused.connect()).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await dovecot.resume();
    const again = await connect(
      new ImapFlow(dovecot.imapOptions('alice', { password: 'alice-secret' })),
    );
    const status = await again.status('Support/Inbound', { messages: true });
    expect(status && status.messages).toBe(1);
    await again.logout();
  });

  it('changes UIDVALIDITY and deletes folders on request', async () => {
    await dovecot.createFolder('alice', 'Rescan');
    const before = await dovecot.status('alice', 'Rescan');
    await dovecot.setUidValidity('alice', 'Rescan', before.uidValidity + 7);
    expect((await dovecot.status('alice', 'Rescan')).uidValidity).toBe(before.uidValidity + 7);

    await dovecot.deleteFolder('alice', 'Rescan');
    await expect(dovecot.status('alice', 'Rescan')).rejects.toThrow(/Mailbox doesn't exist/);
  });
});
