import { createTenantsRepository, createTicketsRepository, type Database } from '@mailroom/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, cookiePair, createTestUser, json, openTestDatabase } from '../support';

interface MessageBody {
  messageId: string;
  inReplyTo: string[];
  attachments: object[];
}

describe('/api/v1/tickets (read-only)', () => {
  let database: Database;
  let app: ReturnType<typeof buildApp>['app'];
  let cookie: string;
  let tenantId: string;
  let firstId: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    app = buildApp(database).app;
    const { user, password } = await createTestUser(database, { role: 'agent' });
    tenantId = user.tenantId;
    const login = await app.request('/api/v1/auth/login', json({ email: user.email, password }));
    cookie = cookiePair(login.headers.get('set-cookie'));

    const tickets = createTicketsRepository({ db: database.db });
    const first = await tickets.create({
      tenantId,
      source: 'email',
      subject: 'Printer on fire',
      requester: { address: 'customer@example.test', name: 'Casey Customer' },
      message: {
        direction: 'inbound',
        messageId: 'm1@example.test',
        from: { address: 'customer@example.test', name: 'Casey Customer' },
        to: [{ address: 'support@example.test', name: '' }],
        subject: 'Printer on fire',
        text: 'It is on fire.',
        html: '<p>It is on fire.</p>',
        sentAt: '2026-01-05T10:00:00.000Z',
        attachments: [
          {
            filename: 'fire.txt',
            contentType: 'text/plain',
            content: new TextEncoder().encode('smoke'),
          },
        ],
      },
    });
    firstId = first.ticket.id;
    await tickets.addMessage(firstId, {
      direction: 'inbound',
      messageId: 'm2@example.test',
      inReplyTo: ['m1@example.test'],
      from: { address: 'customer@example.test', name: 'Casey Customer' },
      subject: 'Re: Printer on fire',
      text: 'Still burning.',
    });
    const second = await tickets.create({ tenantId, source: 'api', subject: 'Password reset' });
    await tickets.update(second.ticket.id, { status: 'resolved' });

    const other = await createTenantsRepository({ db: database.db }).ensure({
      slug: 'elsewhere',
      name: 'Elsewhere',
    });
    await tickets.create({ tenantId: other.id, source: 'email', subject: 'Not yours' });
  });
  afterAll(async () => {
    await database.close();
  });

  it('lists only the caller’s tenant’s tickets, newest first, with the total', async () => {
    const response = await app.request('/api/v1/tickets', { headers: { cookie } });
    expect(response.status).toBe(200);
    const page = (await response.json()) as {
      items: Array<{ subject: string; number: number }>;
      total: number;
    };
    expect(page.total).toBe(2);
    expect(page.items.map((ticket) => ticket.subject)).toEqual([
      'Password reset',
      'Printer on fire',
    ]);
  });

  it('filters by status and pages', async () => {
    const open = (await (
      await app.request('/api/v1/tickets?status=open', { headers: { cookie } })
    ).json()) as {
      items: Array<{ subject: string; status: string }>;
    };
    expect(open.items).toEqual([
      expect.objectContaining({ subject: 'Printer on fire', status: 'open' }),
    ]);
    const paged = (await (
      await app.request('/api/v1/tickets?limit=1&offset=1', { headers: { cookie } })
    ).json()) as {
      items: Array<{ subject: string }>;
      limit: number;
      offset: number;
      total: number;
    };
    expect(paged).toMatchObject({ limit: 1, offset: 1, total: 2 });
    expect(paged.items.map((ticket) => ticket.subject)).toEqual(['Printer on fire']);
    const bad = await app.request('/api/v1/tickets?status=burning', { headers: { cookie } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: Array<{ path: string }> }).errors[0]?.path).toBe(
      'status.0',
    );
  });

  it('returns one ticket with its messages in order and attachment metadata without bytes', async () => {
    const response = await app.request(`/api/v1/tickets/${firstId}`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      ticket: Record<string, unknown>;
      messages: MessageBody[];
    };
    expect(body.ticket).toMatchObject({
      id: firstId,
      source: 'email',
      subject: 'Printer on fire',
      requester: { address: 'customer@example.test', name: 'Casey Customer' },
    });
    expect(body.messages.map((message) => message.messageId)).toEqual([
      'm1@example.test',
      'm2@example.test',
    ]);
    expect(body.messages[0]).toMatchObject({
      html: '<p>It is on fire.</p>',
      sentAt: '2026-01-05T10:00:00.000Z',
      attachments: [{ filename: 'fire.txt', contentType: 'text/plain', size: 5, inline: false }],
    });
    expect(body.messages[0]?.attachments[0]).not.toHaveProperty('content');
    expect(body.messages[1]?.inReplyTo).toEqual(['m1@example.test']);
  });

  it('answers 404 ticket.not_found for unknown ids, malformed ids and other tenants’ tickets', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const response = await app.request(`/api/v1/tickets/${id}`, { headers: { cookie } });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { code: string }).code).toBe('ticket.not_found');
    }
  });

  it('needs a signed-in caller', async () => {
    expect((await app.request('/api/v1/tickets')).status).toBe(401);
  });
});
