import { describe, expect, it } from 'vitest';
import {
  createBlobsRepository,
  createMailboxesRepository,
  createOffersRepository,
  createTicketTypesRepository,
  createTicketsRepository,
} from '../src/index';
import { engines, useMigratedDatabase } from './engines';
import { hasCode, mailboxSettings, makeTenant } from './fixtures';

const bytes = (text: string) => new TextEncoder().encode(text);

const webTicket = (tenantId: string, subject = 'Cannot log in') => ({
  tenantId,
  source: 'web' as const,
  subject,
  requester: { address: 'Bob@Customer.example', name: 'Bob' },
});

describe.each(engines)('tickets and blobs on $kind', (engine) => {
  const database = useMigratedDatabase(engine);

  it('numbers tickets 1, 2, 3 per tenant, independently for each tenant', async () => {
    const { db } = database();
    const tickets = createTicketsRepository({ db });
    const [a, b] = [await makeTenant(db), await makeTenant(db)];
    const numbers: number[] = [];
    for (let i = 0; i < 3; i += 1)
      numbers.push((await tickets.create(webTicket(a.id))).ticket.number);
    expect(numbers).toEqual([1, 2, 3]);
    expect((await tickets.create(webTicket(b.id))).ticket.number).toBe(1);
    const found = await tickets.getByNumber(a.id, 2);
    expect(found).toMatchObject({ number: 2, source: 'web', status: 'open', importance: 'medium' });
    expect(found!.requester).toEqual({ address: 'bob@customer.example', name: 'Bob' });
    expect(await tickets.getByNumber(b.id, 2)).toBeNull();
  });

  it('hands out unique, gap-free numbers to concurrent creators', async () => {
    const { db } = database();
    const tickets = createTicketsRepository({ db });
    const tenant = await makeTenant(db);
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) => tickets.create(webTicket(tenant.id, `Parallel ${i}`))),
    );
    expect(created.map((result) => result.ticket.number).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
  });

  it('gives the number back when the creating transaction rolls back', async () => {
    const { db } = database();
    const tickets = createTicketsRepository({ db });
    const tenant = await makeTenant(db);
    await tickets.create(webTicket(tenant.id));
    await expect(
      tickets.create({
        ...webTicket(tenant.id),
        ticketTypeId: '00000000-0000-4000-8000-000000000000',
      }),
    ).rejects.toThrow();
    expect((await tickets.create(webTicket(tenant.id))).ticket.number).toBe(2);
  });

  it('stores messages with attachments in order and deduplicates their bytes', async () => {
    const { db } = database();
    const tickets = createTicketsRepository({ db });
    const blobs = createBlobsRepository({ db });
    const tenant = await makeTenant(db);
    const logo = bytes(`logo-${tenant.id}`);
    const { ticket, message } = await tickets.create({
      ...webTicket(tenant.id),
      message: {
        direction: 'inbound',
        messageId: `first-${tenant.id}@customer.example`,
        from: { address: 'bob@customer.example', name: 'Bob' },
        to: [{ address: 'support@example.com', name: '' }],
        subject: 'Cannot log in',
        text: 'Hello',
        html: '<p>Hello</p>',
        sentAt: '2024-05-01T10:00:00Z',
        attachments: [
          {
            filename: 'logo.png',
            contentType: 'image/png',
            content: logo,
            contentId: 'logo@x',
            inline: true,
          },
          { filename: 'log.txt', contentType: 'text/plain', content: bytes('line 1\n') },
        ],
      },
    });
    expect(message!.attachments.map((file) => file.filename)).toEqual(['logo.png', 'log.txt']);
    const reply = await tickets.addMessage(ticket.id, {
      direction: 'outbound',
      messageId: `reply-${tenant.id}@example.com`,
      inReplyTo: [`first-${tenant.id}@customer.example`],
      references: [`first-${tenant.id}@customer.example`],
      from: { address: 'support@example.com', name: 'Support' },
      to: [{ address: 'bob@customer.example', name: 'Bob' }],
      cc: [{ address: 'Carol@Customer.example', name: 'Carol' }],
      subject: 'Re: Cannot log in',
      text: 'Try again',
      attachments: [{ filename: 'same-logo.png', contentType: 'image/png', content: logo }],
    });
    expect(reply.attachments[0]!.sha256).toBe(message!.attachments[0]!.sha256);

    const thread = await tickets.listMessages(ticket.id);
    expect(thread.map((m) => m.direction)).toEqual(['inbound', 'outbound']);
    expect(thread[0]).toMatchObject({
      html: '<p>Hello</p>',
      sentAt: new Date('2024-05-01T10:00:00Z'),
    });
    expect(thread[0]!.attachments[0]).toMatchObject({
      contentId: 'logo@x',
      inline: true,
      size: logo.byteLength,
      position: 0,
    });
    expect(thread[1]!.references).toEqual([`first-${tenant.id}@customer.example`]);

    const stored = await blobs.get(message!.attachments[0]!.blobSha256);
    expect(Buffer.from(stored!.bytes).equals(Buffer.from(logo))).toBe(true);
    const attachment = await tickets.getAttachment(message!.attachments[1]!.id);
    expect(attachment).toMatchObject({
      ticketId: ticket.id,
      tenantId: tenant.id,
      filename: 'log.txt',
      md5: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect((await tickets.get(ticket.id))!.updatedAt.getTime()).toBeGreaterThanOrEqual(
      ticket.updatedAt.getTime(),
    );
    await expect(
      tickets.addMessage('00000000-0000-4000-8000-000000000000', { direction: 'inbound' }),
    ).rejects.toSatisfy(hasCode('ticket.not_found'));
  });

  it('finds the ticket of a thread by Message-ID with everyone on it, only within the tenant', async () => {
    const { db } = database();
    const tickets = createTicketsRepository({ db });
    const tenant = await makeTenant(db);
    const first = `thread-${tenant.id}@customer.example`;
    const { ticket } = await tickets.create({
      ...webTicket(tenant.id),
      message: {
        direction: 'inbound',
        messageId: first,
        from: { address: 'bob@customer.example', name: 'Bob' },
        to: [{ address: 'support@example.com', name: '' }],
        cc: [{ address: 'carol@customer.example', name: 'Carol' }],
      },
    });
    const other = await tickets.create({
      ...webTicket(tenant.id, 'Other'),
      message: { direction: 'inbound', messageId: `other-${tenant.id}@x` },
    });

    const hits = await tickets.findByMessageIds(tenant.id, [
      'unknown@x',
      first,
      `other-${tenant.id}@x`,
    ]);
    expect(hits.map((hit) => hit.ticketNumber)).toEqual([ticket.number, other.ticket.number]);
    expect(hits[0]).toEqual({
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      matchedMessageIds: [first],
      participants: ['bob@customer.example', 'support@example.com', 'carol@customer.example'],
    });
    expect(await tickets.findByMessageIds((await makeTenant(db)).id, [first])).toEqual([]);
    expect(await tickets.findByMessageIds(tenant.id, [])).toEqual([]);

    const byNumber = await tickets.findByNumbers(tenant.id, [
      other.ticket.number,
      ticket.number,
      999,
    ]);
    expect(byNumber.map((hit) => hit.ticketId)).toEqual([other.ticket.id, ticket.id]);
    expect(byNumber[1]!.matchedMessageIds).toEqual([]);
  });

  it('lists tickets newest first with paging and filters by mailbox and status', async () => {
    const { db } = database();
    const tickets = createTicketsRepository({ db });
    const tenant = await makeTenant(db);
    const mailbox = await createMailboxesRepository({ db }).create({
      tenantId: tenant.id,
      settings: mailboxSettings(),
    });
    for (let i = 1; i <= 5; i += 1) {
      await tickets.create({
        ...webTicket(tenant.id, `T${i}`),
        source: 'email',
        mailboxId: i % 2 === 0 ? mailbox.id : null,
      });
    }
    const page = await tickets.list({ tenantId: tenant.id, limit: 2, offset: 1 });
    expect(page.items.map((t) => t.number)).toEqual([4, 3]);
    expect(page).toMatchObject({ total: 5, limit: 2, offset: 1 });
    const fromMailbox = await tickets.list({ tenantId: tenant.id, mailboxId: mailbox.id });
    expect(fromMailbox.items.map((t) => t.number)).toEqual([4, 2]);

    const third = await tickets.getByNumber(tenant.id, 3);
    await tickets.update(third!.id, { status: 'resolved', importance: 'low' });
    expect(
      (await tickets.list({ tenantId: tenant.id, status: 'resolved' })).items.map((t) => t.number),
    ).toEqual([3]);
    expect((await tickets.list({ tenantId: tenant.id, status: ['open', 'pending'] })).total).toBe(
      4,
    );
    expect((await tickets.list({ tenantId: tenant.id, limit: 10_000 })).limit).toBe(200);
  });

  it('links ticket type and offer and keeps the ticket when they are deleted', async () => {
    const { db } = database();
    const tickets = createTicketsRepository({ db });
    const tenant = await makeTenant(db);
    const type = await createTicketTypesRepository({ db }).create({
      tenantId: tenant.id,
      name: 'Incident',
    });
    const offer = await createOffersRepository({ db }).create({
      tenantId: tenant.id,
      name: 'Gold',
    });
    const { ticket } = await tickets.create({
      ...webTicket(tenant.id),
      ticketTypeId: type.id,
      offerId: offer.id,
      fields: { severity: 'high', affected: ['vpn', 'mail'], count: 3, urgent: true, note: null },
      restrictedFields: { severity: ['admin'] },
    });
    expect(ticket).toMatchObject({
      ticketTypeId: type.id,
      offerId: offer.id,
      restrictedFields: { severity: ['admin'] },
    });
    expect((await tickets.get(ticket.id))!.fields).toEqual({
      severity: 'high',
      affected: ['vpn', 'mail'],
      count: 3,
      urgent: true,
      note: null,
    });
  });

  it('stores a blob once however often it is put', async () => {
    const { db } = database();
    const blobs = createBlobsRepository({ db });
    const content = bytes(`blob ${Math.random()}`);
    const [a, b] = await Promise.all([blobs.put(content), blobs.put(content)]);
    expect(a).toEqual(b);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await blobs.stat(a.sha256)).toEqual({ sha256: a.sha256, size: content.byteLength });
    const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
    const stored = await blobs.put(binary);
    expect(Array.from((await blobs.get(stored.sha256))!.bytes)).toEqual(Array.from(binary));
    expect(await blobs.get('0'.repeat(64))).toBeNull();
    expect(await blobs.get('not-a-hash')).toBeNull();
  });
});
