import { sanitizeEmailHtml } from '@mailroom/mapping';
import { createTenantsRepository, createTicketsRepository, type Database } from '@mailroom/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApp,
  cookiePair,
  createTestApiKey,
  createTestUser,
  json,
  openTestDatabase,
} from '../support';

const png = Uint8Array.from(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  ),
);
const pdf = new TextEncoder().encode('%PDF-1.4\n% tiny\n%%EOF\n');
const evilHtml = new TextEncoder().encode('<script>alert(1)</script>');

const rawHtml = [
  '<p style="color: #c0392b; font-size: 18px">The printer is <b>on fire</b>.</p>',
  '<script>parent.document.title="pwned"</script>',
  '<img src="cid:logo@customer.example" alt="logo">',
  '<img src="https://tracker.example/big.png" width="300" height="200" alt="remote">',
  '<img src="cid:not-attached@customer.example" alt="missing">',
].join('');

describe('message HTML and attachment downloads', () => {
  let database: Database;
  let app: ReturnType<typeof buildApp>['app'];
  let cookie: string;
  let ticketId: string;
  let messageId: string;
  let textOnlyMessageId: string;
  let files: Record<string, string>;
  let otherTicketId: string;
  let otherAttachmentId: string;
  let otherMessageId: string;

  beforeAll(async () => {
    database = await openTestDatabase();
    app = buildApp(database).app;
    const { user, password } = await createTestUser(database, { role: 'agent' });
    const login = await app.request('/api/v1/auth/login', json({ email: user.email, password }));
    cookie = cookiePair(login.headers.get('set-cookie'));

    const tickets = createTicketsRepository({ db: database.db });
    const created = await tickets.create({
      tenantId: user.tenantId,
      source: 'email',
      subject: 'Printer on fire',
      message: {
        direction: 'inbound',
        subject: 'Printer on fire',
        text: 'The printer is on fire.',
        // Stored the way ingestion stores it: sanitized, keeping the cid: images it has.
        html: sanitizeEmailHtml(rawHtml, { keptContentIds: new Set(['logo@customer.example']) }),
        attachments: [
          {
            filename: 'logo.png',
            contentType: 'image/png',
            content: png,
            contentId: 'logo@customer.example',
            inline: true,
          },
          { filename: 'Rechnung März "final".pdf', contentType: 'application/pdf', content: pdf },
          { filename: 'invoice.html', contentType: 'text/html', content: evilHtml },
          { filename: 'drawing.svg', contentType: 'image/svg+xml', content: evilHtml },
        ],
      },
    });
    ticketId = created.ticket.id;
    messageId = created.message!.id;
    files = Object.fromEntries(
      created.message!.attachments.map((file) => [file.filename, file.id]),
    );
    textOnlyMessageId = (
      await tickets.addMessage(ticketId, { direction: 'inbound', text: 'Still <burning> & hot.' })
    ).id;

    const other = await createTenantsRepository({ db: database.db }).ensure({
      slug: 'elsewhere',
      name: 'Elsewhere',
    });
    const foreign = await tickets.create({
      tenantId: other.id,
      source: 'email',
      subject: 'Not yours',
      message: {
        direction: 'inbound',
        html: '<p>secret</p>',
        attachments: [{ filename: 'secret.pdf', contentType: 'application/pdf', content: pdf }],
      },
    });
    otherTicketId = foreign.ticket.id;
    otherMessageId = foreign.message!.id;
    otherAttachmentId = foreign.message!.attachments[0]!.id;
  });
  afterAll(async () => {
    await database.close();
  });

  const get = (path: string) => app.request(path, { headers: { cookie } });

  it('serves a message as a script-free document with its own strict CSP and the cid image rewritten', async () => {
    const response = await get(`/api/v1/tickets/${ticketId}/messages/${messageId}/html`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const logoUrl = `http://localhost/api/v1/tickets/${ticketId}/attachments/${files['logo.png']}`;
    expect(response.headers.get('content-security-policy')).toBe(
      [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        `img-src data: cid: ${logoUrl}`,
        "frame-ancestors 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        'sandbox allow-same-origin allow-popups allow-popups-to-escape-sandbox',
      ].join('; '),
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('private, max-age=300');

    const body = await response.text();
    expect(body).toMatch(/^<!doctype html><html><head><meta charset="utf-8">/);
    expect(body).toContain('<style>');
    expect(body).not.toMatch(/<script/i);
    expect(body).not.toContain('pwned');
    // The mail's own inline style survives (the document's CSP allows inline styles).
    expect(body).toContain('style="color:#c0392b;font-size:18px"');
    expect(body).toContain(
      `<img alt="logo" src="/api/v1/tickets/${ticketId}/attachments/${files['logo.png']}" />`,
    );
    // The remote image is kept only as data-remote-src: nothing in the document loads it.
    expect(body).toContain('data-remote-src="https://tracker.example/big.png"');
    expect(body).not.toMatch(/\ssrc="https?:/);
    // A cid: with no attachment was dropped by the sanitizer and is not invented here.
    expect(body).not.toContain('not-attached');
  });

  it('serves a message without HTML as its escaped text, and needs the message to be on that ticket', async () => {
    const text = await get(`/api/v1/tickets/${ticketId}/messages/${textOnlyMessageId}/html`);
    expect(text.status).toBe(200);
    expect(await text.text()).toContain('<pre>Still &lt;burning&gt; &amp; hot.</pre>');
    expect(text.headers.get('content-security-policy')).toContain('img-src data: cid:;');

    const elsewhere = await get(`/api/v1/tickets/${ticketId}/messages/${otherMessageId}/html`);
    expect(elsewhere.status).toBe(404);
    expect(((await elsewhere.json()) as { code: string }).code).toBe('ticket.message_not_found');
  });

  it('downloads a pdf inline with its type, length and an RFC 6266 file name', async () => {
    const response = await get(
      `/api/v1/tickets/${ticketId}/attachments/${files['Rechnung März "final".pdf']}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `inline; filename="Rechnung M_rz _final_.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz%20%22final%22.pdf`,
    );
    expect(response.headers.get('content-length')).toBe(String(pdf.byteLength));
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(pdf);
  });

  it('serves an inline image with its own type, so the message document can show it', async () => {
    const response = await get(`/api/v1/tickets/${ticketId}/attachments/${files['logo.png']}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-disposition')).toMatch(/^inline; /);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(png);
  });

  it('forces html and svg attachments to download as opaque bytes', async () => {
    for (const name of ['invoice.html', 'drawing.svg']) {
      const response = await get(`/api/v1/tickets/${ticketId}/attachments/${files[name]}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/octet-stream');
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="${name}"; filename*=UTF-8''${name}`,
      );
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('content-security-policy')).toContain('sandbox');
      expect(await response.text()).toBe('<script>alert(1)</script>');
    }
  });

  it('answers 404 for another tenant’s ticket, its attachments and messages', async () => {
    const cases: Array<[string, string]> = [
      [`/api/v1/tickets/${otherTicketId}/attachments/${otherAttachmentId}`, 'ticket.not_found'],
      [`/api/v1/tickets/${otherTicketId}/messages/${otherMessageId}/html`, 'ticket.not_found'],
      // Our ticket id with their attachment id: the attachment must be on the ticket.
      [
        `/api/v1/tickets/${ticketId}/attachments/${otherAttachmentId}`,
        'ticket.attachment_not_found',
      ],
      [`/api/v1/tickets/${ticketId}/attachments/not-a-uuid`, 'ticket.attachment_not_found'],
    ];
    for (const [path, code] of cases) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { code: string }).code, path).toBe(code);
    }
  });

  it('accepts an API key and refuses anonymous callers', async () => {
    const { plaintext } = await createTestApiKey(database, 'agent');
    const withKey = await app.request(
      `/api/v1/tickets/${ticketId}/attachments/${files['logo.png']}`,
      { headers: { authorization: `Bearer ${plaintext}` } },
    );
    expect(withKey.status).toBe(200);
    const anonymous = await app.request(`/api/v1/tickets/${ticketId}/messages/${messageId}/html`);
    expect(anonymous.status).toBe(401);
  });

  it('keeps the app-wide CSP on every other response', async () => {
    const response = await get(`/api/v1/tickets/${ticketId}`);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
