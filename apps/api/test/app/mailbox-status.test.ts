/**
 * Activation is refused with one `{path, message}` per problem until the configuration is
 * complete and valid (credentials for the auth type, a mapping that validates against a
 * published template, whitelisted ticket types and offer), then accepted; pause and the
 * ledger listing ("why did this email not become a ticket?") with paging and filters.
 */
import { ingestDecision } from '@mailroom/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../mailbox-support';

let t: TestContext;

interface MailboxBody {
  id: string;
  status: string;
  settingsVersion: number;
  health: { state: string; counters: Record<string, number>; progress: unknown };
}

const connection = {
  host: 'imap.example.test',
  port: 993,
  tls: 'implicit',
  username: 'support@example.test',
  replyTo: 'support@example.test',
  authType: 'password',
};

const createMailbox = async (name: string) => {
  const created = await t.call<MailboxBody>('POST', '/api/v1/mailboxes', {
    settings: { name, connection, policy: {}, reading: {} },
  });
  expect(created.status).toBe(201);
  return created.body;
};

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('POST /api/v1/mailboxes/{id}/activate', () => {
  it('refuses an incomplete configuration per field, then activates once it is fixed', async () => {
    const mailbox = await createMailbox('To activate');
    const path = `/api/v1/mailboxes/${mailbox.id}`;

    const bare = await t.call(`POST`, `${path}/activate`);
    expect(bare.status).toBe(422);
    expect(bare.body).toMatchObject({ code: 'mailbox.configuration_incomplete' });
    expect(bare.body.errors).toEqual([
      { path: 'secrets.password', message: expect.any(String) },
      { path: 'settings.mapping', message: expect.any(String) },
    ]);

    const template = await t.call<{ id: string }>('POST', '/api/v1/templates', {
      name: 'Email',
      fields: [{ key: 'customer_email', label: 'Customer email', type: 'email', required: true }],
    });
    const type = await t.call<{ id: string }>('POST', '/api/v1/ticket-types', { name: 'Question' });
    const mapping = {
      templateId: template.body.id,
      ticketTypes: {
        allowed: [type.body.id, '00000000-0000-4000-8000-000000000000'],
        defaultTypeId: type.body.id,
      },
      defaultOfferId: '00000000-0000-4000-8000-000000000001',
    };
    const saved = await t.call('PATCH', path, {
      settings: { mapping },
      secrets: { password: 'now-stored' },
    });
    expect(saved.status).toBe(200);

    const invalid = await t.call(`POST`, `${path}/activate`);
    expect(invalid.status).toBe(422);
    const paths = (invalid.body.errors as Array<{ path: string; message: string }>).map(
      (issue) => issue.path,
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        'settings.mapping.templateId',
        'settings.mapping.ticketTypes.allowed.1',
        'settings.mapping.defaultOfferId',
        'settings.mapping.customFields',
      ]),
    );
    expect(paths).not.toContain('secrets.password');
    expect(
      (invalid.body.errors as Array<{ path: string; message: string }>).find(
        (issue) => issue.path === 'settings.mapping.templateId',
      )?.message,
    ).toContain('draft');
    expect((await t.call<MailboxBody>('GET', path)).body.status).toBe('draft');

    await t.call('POST', `/api/v1/templates/${template.body.id}/publish`);
    const offer = await t.call<{ id: string }>('POST', '/api/v1/offers', { name: 'Standard' });
    const fixed = await t.call<MailboxBody>('PATCH', path, {
      settings: {
        mapping: {
          ...mapping,
          ticketTypes: { allowed: [type.body.id], defaultTypeId: type.body.id },
          defaultOfferId: offer.body.id,
          propertyMappings: [{ property: 'sender_address', fieldKey: 'customer_email' }],
        },
      },
    });
    expect(fixed.status).toBe(200);

    const activated = await t.call<MailboxBody>(`POST`, `${path}/activate`);
    expect(activated.status).toBe(200);
    expect(activated.body.status).toBe('active');
    expect(activated.body.settingsVersion).toBeGreaterThan(fixed.body.settingsVersion);
    expect(activated.body.health).toMatchObject({
      state: expect.any(String),
      counters: { seen: 0, created: 0, appended: 0, skipped: 0, quarantined: 0 },
      progress: null,
    });

    const paused = await t.call<MailboxBody>(`POST`, `${path}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    expect(paused.body.settingsVersion).toBeGreaterThan(activated.body.settingsVersion);
    const again = await t.call<MailboxBody>(`POST`, `${path}/activate`);
    expect(again.body.status).toBe('active');
  });

  it('refuses to pause a draft with 409 mailbox.not_active', async () => {
    const mailbox = await createMailbox('Draft');
    const { status, body } = await t.call('POST', `/api/v1/mailboxes/${mailbox.id}/pause`);
    expect(status).toBe(409);
    expect(body.code).toBe('mailbox.not_active');
  });

  it('is for admins only', async () => {
    const mailbox = await createMailbox('Agents may not');
    const { status } = await t.call(
      'POST',
      `/api/v1/mailboxes/${mailbox.id}/activate`,
      undefined,
      t.agentCookie,
    );
    expect(status).toBe(403);
  });
});

describe('GET /api/v1/mailboxes/{id}/ledger', () => {
  it('pages through every email with its outcome and reason, newest first, and filters by outcome', async () => {
    const mailbox = await createMailbox('With history');
    const me = await t.call<{ tenantId: string }>('GET', '/api/v1/me');
    for (let uid = 1; uid <= 5; uid += 1) {
      await ingestDecision({
        db: t.database.db,
        mailbox: { id: mailbox.id, tenantId: me.body.tenantId },
        folder: 'INBOX',
        uidValidity: 7n,
        uid,
        decision:
          uid % 2 === 1
            ? {
                kind: 'skip',
                code: 'auto_reply',
                reason: 'skipped: auto-reply (Auto-Submitted: auto-replied)',
                classification: { kind: 'auto_reply', rule: 'auto-submitted', evidence: null },
              }
            : { kind: 'too_large', code: 'too_large', reason: 'larger than 25 MB' },
        envelope: {
          messageId: `<m${uid}@customer.test>`,
          from: 'a@customer.test',
          subject: `#${uid}`,
        },
      });
    }

    const pages: Array<Array<{ uid: number; outcome: string; reasonDetail: string }>> = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const query: string = cursor === '' ? 'limit=2' : `limit=2&cursor=${cursor}`;
      const page = await t.call<{
        items: Array<{ uid: number; outcome: string; reasonDetail: string; uidValidity: string }>;
        total: number;
        nextCursor: string | null;
      }>('GET', `/api/v1/mailboxes/${mailbox.id}/ledger?${query}`);
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(5);
      pages.push(page.body.items);
      cursor = page.body.nextCursor;
    }
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((entry) => entry.uid)).toEqual([5, 4, 3, 2, 1]);
    expect(pages[0]![0]).toMatchObject({
      outcome: 'skipped',
      reasonDetail: 'skipped: auto-reply (Auto-Submitted: auto-replied)',
      uidValidity: '7',
      subject: '#5',
      fromAddress: 'a@customer.test',
    });

    const skipped = await t.call<{ items: Array<{ outcome: string }>; total: number }>(
      'GET',
      `/api/v1/mailboxes/${mailbox.id}/ledger?outcome=skipped`,
    );
    expect(skipped.body.total).toBe(3);
    expect(new Set(skipped.body.items.map((entry) => entry.outcome))).toEqual(new Set(['skipped']));
    const both = await t.call<{ total: number }>(
      'GET',
      `/api/v1/mailboxes/${mailbox.id}/ledger?outcome=skipped,too_large`,
    );
    expect(both.body.total).toBe(5);
  });

  it('keeps paging stable while new mail arrives: no entry of page 1 repeats, none is skipped', async () => {
    const mailbox = await createMailbox('Busy while paging');
    const me = await t.call<{ tenantId: string }>('GET', '/api/v1/me');
    const record = (uid: number) =>
      ingestDecision({
        db: t.database.db,
        mailbox: { id: mailbox.id, tenantId: me.body.tenantId },
        folder: 'INBOX',
        uidValidity: 7n,
        uid,
        decision: { kind: 'too_large', code: 'too_large', reason: 'larger than 25 MB' },
        envelope: { messageId: `<busy${uid}@customer.test>`, from: null, subject: `#${uid}` },
      });
    for (let uid = 1; uid <= 5; uid += 1) await record(uid);
    type LedgerPage = { items: Array<{ id: string; uid: number }>; total: number };
    const read = (cursor: string | null) =>
      t.call<LedgerPage & { nextCursor: string | null }>(
        'GET',
        `/api/v1/mailboxes/${mailbox.id}/ledger?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
      );

    const first = await read(null);
    expect(first.status).toBe(200);
    expect(first.body.items.map((entry) => entry.uid)).toEqual([5, 4]);
    expect(first.body.total).toBe(5);

    // Two emails are ingested while the admin looks at page 1.
    await record(6);
    await record(7);

    const second = await read(first.body.nextCursor);
    expect(second.status).toBe(200);
    expect(second.body.total).toBe(7);
    const firstIds = new Set(first.body.items.map((entry) => entry.id));
    expect(second.body.items.filter((entry) => firstIds.has(entry.id))).toEqual([]);
    expect(second.body.items.map((entry) => entry.uid)).toEqual([3, 2]);

    const third = await read(second.body.nextCursor);
    expect(third.body.items.map((entry) => entry.uid)).toEqual([1]);
    expect(third.body.nextCursor).toBeNull();
    // Every entry that existed when paging began was shown exactly once.
    expect(
      [first, second, third].flatMap((page) => page.body.items.map((entry) => entry.uid)),
    ).toEqual([5, 4, 3, 2, 1]);

    // The new mail is at the top of a fresh first page.
    expect((await read(null)).body.items.map((entry) => entry.uid)).toEqual([7, 6]);
  });

  it('refuses a cursor of another mailbox or of the former offset kind with 400 on cursor', async () => {
    const mine = await createMailbox('Cursor owner');
    const other = await createMailbox('Cursor thief');
    const me = await t.call<{ tenantId: string }>('GET', '/api/v1/me');
    for (let uid = 1; uid <= 2; uid += 1) {
      await ingestDecision({
        db: t.database.db,
        mailbox: { id: mine.id, tenantId: me.body.tenantId },
        folder: 'INBOX',
        uidValidity: 7n,
        uid,
        decision: { kind: 'too_large', code: 'too_large', reason: 'larger than 25 MB' },
        envelope: { messageId: `<own${uid}@customer.test>`, from: null, subject: null },
      });
    }
    const page = await t.call<{ nextCursor: string | null }>(
      'GET',
      `/api/v1/mailboxes/${mine.id}/ledger?limit=1`,
    );
    expect(page.body.nextCursor).not.toBeNull();
    const offsetCursor = Buffer.from(JSON.stringify({ o: 1 })).toString('base64url');
    for (const [mailboxId, cursor] of [
      [other.id, page.body.nextCursor],
      [mine.id, offsetCursor],
    ] as const) {
      const refused = await t.call('GET', `/api/v1/mailboxes/${mailboxId}/ledger?cursor=${cursor}`);
      expect(refused.status).toBe(400);
      expect((refused.body.errors as Array<{ path: string }>).map((issue) => issue.path)).toEqual([
        'cursor',
      ]);
    }
  });

  it('refuses an unknown outcome or cursor with 400 per field, and unknown mailboxes with 404', async () => {
    const mailbox = await createMailbox('Ledger errors');
    const bad = await t.call(
      'GET',
      `/api/v1/mailboxes/${mailbox.id}/ledger?outcome=lost&cursor=not-a-cursor`,
    );
    expect(bad.status).toBe(400);
    expect((bad.body.errors as Array<{ path: string }>).map((issue) => issue.path)).toEqual([
      'outcome',
      'cursor',
    ]);
    const missing = await t.call(
      'GET',
      '/api/v1/mailboxes/00000000-0000-4000-8000-000000000000/ledger',
    );
    expect(missing.status).toBe(404);
  });
});
