import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DERIVED_MESSAGE_ID_DOMAIN, parseEmail, type ParseResult } from '../src/parse/index';

const mail = (...lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');
const latin1 = (...lines: string[]) => Buffer.from(lines.join('\r\n'), 'latin1');

const parsed = async (input: Buffer) => {
  const result = await parseEmail(input);
  if (!result.ok)
    throw new Error(
      `expected a parsed mail, got ${result.failure.code}: ${result.failure.message}`,
    );
  return result.email;
};

const simple = mail(
  'Return-Path: <Alice@Customer.example>',
  'Delivered-To: support@helpdesk.example',
  'From: "Alice Example" <Alice@Customer.example>',
  'To: Support <support@helpdesk.example>, bob@customer.example',
  'Cc: Team: carol@customer.example, dave@customer.example;',
  'Reply-To: alice.private@mail.example',
  'Subject: Printer on floor 3',
  'Date: Tue, 4 Mar 2025 10:15:00 +0100 (CET)',
  'Message-ID: <CAF1234@mail.customer.example>',
  'In-Reply-To: <reply-1@helpdesk.example>',
  'References: <r0@helpdesk.example>',
  ' <reply-1@helpdesk.example> <reply-1@helpdesk.example>',
  'X-Priority: 1 (Highest)',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Hello, the printer shows E42.',
  '',
);

describe('parseEmail: the fields everything else relies on', () => {
  it('reads addresses, ids, subject, date, text, importance and all headers', async () => {
    const email = await parsed(simple);
    expect(email).toMatchObject({
      messageId: 'CAF1234@mail.customer.example',
      messageIdDerived: false,
      inReplyTo: ['reply-1@helpdesk.example'],
      references: ['r0@helpdesk.example', 'reply-1@helpdesk.example'],
      from: { address: 'alice@customer.example', name: 'Alice Example' },
      sender: null,
      replyTo: [{ address: 'alice.private@mail.example', name: '' }],
      to: [
        { address: 'support@helpdesk.example', name: 'Support' },
        { address: 'bob@customer.example', name: '' },
      ],
      cc: [
        { address: 'carol@customer.example', name: '' },
        { address: 'dave@customer.example', name: '' },
      ],
      deliveredTo: ['support@helpdesk.example'],
      returnPath: 'alice@customer.example',
      subject: 'Printer on floor 3',
      date: '2025-03-04T09:15:00.000Z',
      text: 'Hello, the printer shows E42.\n',
      html: null,
      importance: 'high',
      attachments: [],
      contentType: 'text/plain; charset=utf-8',
      size: simple.length,
      warnings: [],
    });
    expect(email.headers.map((h) => h.name)).toEqual([
      'return-path',
      'delivered-to',
      'from',
      'to',
      'cc',
      'reply-to',
      'subject',
      'date',
      'message-id',
      'in-reply-to',
      'references',
      'x-priority',
      'content-type',
    ]);
    expect(email.headers.find((h) => h.name === 'references')?.value).toBe(
      '<r0@helpdesk.example> <reply-1@helpdesk.example> <reply-1@helpdesk.example>',
    );
  });

  it('reads a null Return-Path as the empty string (sent by a machine)', async () => {
    const email = await parsed(mail('Return-Path: <>', 'From: a@b.example', 'Subject: x', '', 'x'));
    expect(email.returnPath).toBe('');
  });

  it('returns null, not "now", for a missing or unreadable date', async () => {
    const missing = await parsed(mail('From: a@b.example', 'Subject: x', '', 'x'));
    const unreadable = await parsed(
      mail('From: a@b.example', 'Date: next Tuesday-ish', 'Subject: x', '', 'x'),
    );
    expect([missing.date, unreadable.date]).toEqual([null, null]);
    expect(missing.warnings).toContain('no Date header');
    expect(unreadable.warnings).toContain('the Date header could not be read');
  });

  it('uses the first of two From headers and says so', async () => {
    const email = await parsed(
      mail('From: first@a.example', 'From: second@b.example', 'Subject: x', '', 'x'),
    );
    expect(email.from?.address).toBe('first@a.example');
    expect(email.warnings).toContain('more than one from header; the first is used');
  });

  it('keeps a display name that only looks like an address as a name', async () => {
    const email = await parsed(
      mail('From: =?utf-8?Q?CEO_=3Cceo@bank.example=3E?= <mallory@evil.example>', '', 'x'),
    );
    expect(email.from).toEqual({ address: 'mallory@evil.example', name: 'CEO <ceo@bank.example>' });
  });

  it('gives an empty address for a From header that holds none', async () => {
    const email = await parsed(mail('From: just some words', 'Subject: x', '', 'x'));
    expect(email.from).toEqual({ address: '', name: 'just some words' });
  });
});

describe('parseEmail: Message-IDs', () => {
  it('derives a stable Message-ID from the raw bytes when the mail has none', async () => {
    const raw = mail('From: a@b.example', 'Subject: no id', '', 'body');
    const [first, second] = [await parsed(raw), await parsed(Buffer.from(raw))];
    const other = await parsed(mail('From: a@b.example', 'Subject: no id', '', 'other body'));
    expect(first.messageIdDerived).toBe(true);
    expect(first.messageId).toMatch(
      new RegExp(`^[0-9a-f]{40}@${DERIVED_MESSAGE_ID_DOMAIN.replace(/\./g, '\\.')}$`),
    );
    expect(second.messageId).toBe(first.messageId);
    expect(other.messageId).not.toBe(first.messageId);
    expect(first.warnings).toContain('no usable Message-ID; one was derived from the raw message');
  });

  it('derives one for an empty Message-ID too', async () => {
    expect(
      (await parsed(mail('Message-ID: <>', 'From: a@b.example', '', 'x'))).messageIdDerived,
    ).toBe(true);
  });

  it('reads bare and bracketed ids in In-Reply-To and References', async () => {
    const email = await parsed(
      mail(
        'From: a@b.example',
        'In-Reply-To: bare-id@x.example',
        'References: <a@x> junk <b@x>',
        '',
        'x',
      ),
    );
    expect(email.inReplyTo).toEqual(['bare-id@x.example']);
    expect(email.references).toEqual(['a@x', 'b@x']);
  });
});

describe('parseEmail: header text in every encoding mail servers use', () => {
  const cases: Array<[string, Buffer, string]> = [
    [
      'RFC 2047 base64',
      mail('Subject: =?UTF-8?B?RHJ1Y2tlciBrYXB1dHQ=?=', '', 'x'),
      'Drucker kaputt',
    ],
    [
      'RFC 2047 quoted-printable',
      mail('Subject: =?iso-8859-1?Q?Gr=FC=DFe_aus_K=F6ln?=', '', 'x'),
      'Grüße aus Köln',
    ],
    [
      'adjacent encoded words joined without the space between them',
      mail('Subject: =?UTF-8?Q?a?= =?UTF-8?Q?b?= c', '', 'x'),
      'ab c',
    ],
    // "日本" split in the middle of a character across two words
    [
      'a character split across two encoded words',
      mail('Subject: =?UTF-8?B?5pel5g==?= =?UTF-8?B?nKw=?=', '', 'x'),
      '日本',
    ],
    ['raw UTF-8 (RFC 6532)', mail('Subject: Säying Hello', '', 'x'), 'Säying Hello'],
    ['raw Latin-1 bytes', latin1('Subject: Ingo Lütkebohle', '', 'x'), 'Ingo Lütkebohle'],
    ['raw ISO-2022-JP escapes', latin1('Subject: \x1b$BF|K\\\x1b(B', '', 'x'), '日本'],
    [
      'raw 8-bit in the charset the Content-Type names',
      Buffer.concat([
        Buffer.from('Subject: '),
        Buffer.from([0x93, 0xfa, 0x96, 0x7b]),
        Buffer.from('\r\nContent-Type: text/plain; charset=shift_jis\r\n\r\nx'),
      ]),
      '日本',
    ],
    ['an unknown charset as UTF-8', mail('Subject: =?x-unknown?Q?caf=C3=A9?=', '', 'x'), 'café'],
    [
      'UTF-7 encoded words (header text is never markup)',
      mail('Subject: =?utf-7?Q?Die_Fr+APY-sche_1+-1?=', '', 'x'),
      'Die Frösche 1+1',
    ],
  ];
  it.each(cases)('decodes %s', async (_what, raw, subject) => {
    expect((await parsed(raw)).subject).toBe(subject);
  });

  it('notes when header bytes were not UTF-8', async () => {
    expect((await parsed(latin1('Subject: Lütkebohle', '', 'x'))).warnings).toContain(
      'header subject is not UTF-8; read as windows-1252',
    );
  });
});

describe('parseEmail: bodies and attachments', () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
  const pdf = Buffer.from('%PDF-1.4 fake');
  const multipart = mail(
    'From: a@b.example',
    'Subject: files',
    'Content-Type: multipart/mixed; boundary="outer"',
    '',
    '--outer',
    'Content-Type: multipart/related; boundary="inner"',
    '',
    '--inner',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p>Logo: <img src="cid:logo@x"></p>',
    '--inner',
    'Content-Type: image/png',
    'Content-ID: <logo@x>',
    'Content-Transfer-Encoding: base64',
    '',
    png.toString('base64'),
    '--inner--',
    '--outer',
    'Content-Type: application/pdf; name="report/../2025.pdf"',
    'Content-Disposition: attachment; filename="report/../2025.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    pdf.toString('base64'),
    '--outer',
    'Content-Type: image/jpeg',
    'Content-Disposition: inline; filename="photo.jpg"',
    'Content-ID: <photo@x>',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('jpeg').toString('base64'),
    '--outer',
    'Content-Type: message/rfc822',
    '',
    'From: old@x.example',
    'Subject: forwarded',
    '',
    'old body',
    '--outer--',
    '',
  );

  it('lists every attachment with both hashes, its Content-ID and whether the HTML shows it', async () => {
    const email = await parsed(multipart);
    const hash = (algorithm: string, data: Buffer) =>
      createHash(algorithm).update(data).digest('hex');
    expect(email.html).toContain('cid:logo@x');
    expect(email.attachments.map(({ content: _content, ...rest }) => rest)).toEqual([
      {
        filename: 'attachment-1.png',
        contentType: 'image/png',
        size: png.length,
        contentId: 'logo@x',
        inline: true,
        md5: hash('md5', png),
        sha256: hash('sha256', png),
        isMessage: false,
      },
      {
        filename: 'report_.._2025.pdf',
        contentType: 'application/pdf',
        size: pdf.length,
        contentId: null,
        inline: false,
        md5: hash('md5', pdf),
        sha256: hash('sha256', pdf),
        isMessage: false,
      },
      {
        filename: 'photo.jpg',
        contentType: 'image/jpeg',
        size: 4,
        contentId: 'photo@x',
        inline: false,
        md5: hash('md5', Buffer.from('jpeg')),
        sha256: hash('sha256', Buffer.from('jpeg')),
        isMessage: false,
      },
      expect.objectContaining({
        filename: 'message-4.eml',
        contentType: 'message/rfc822',
        isMessage: true,
      }),
    ]);
    expect(Buffer.from(email.attachments[0]!.content)).toEqual(png);
  });

  it('repairs a UTF-8 file name read as Latin-1, even one cut mid-character, and leaves Latin-1 names alone', async () => {
    const named = (filename: Buffer) =>
      Buffer.concat([
        Buffer.from(
          'From: a@b.example\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="',
        ),
        filename,
        Buffer.from('"\r\n\r\ndata\r\n--b--\r\n'),
      ]);
    const cut = Buffer.from('Картинка.png').subarray(0, 15);
    expect((await parsed(named(Buffer.from('Картинка.png')))).attachments[0]?.filename).toBe(
      'Картинка.png',
    );
    expect((await parsed(named(cut))).attachments[0]?.filename).toBe('Картинк');
    expect((await parsed(named(Buffer.from('Café.pdf', 'latin1')))).attachments[0]?.filename).toBe(
      'Café.pdf',
    );
  });

  it('shows the raw body when the MIME structure hides every part', async () => {
    const email = await parsed(
      mail(
        'From: post_master@x.example',
        'Content-Type: multipart/alternative;',
        'boundary="never"',
        '',
        'Error: no such user here',
        '',
      ),
    );
    expect(email.text).toContain('Error: no such user here');
    expect(email.warnings).toContain(
      'no readable MIME part was found; the raw body is shown as text',
    );
  });
});

describe('parseEmail: bad input never throws', () => {
  const failures: Array<[string, Buffer, string]> = [
    ['empty input', Buffer.alloc(0), 'the message is empty'],
    ['only blank lines', Buffer.from('\r\n\r\n  \r\n'), 'the message is empty'],
    [
      'text without any header',
      Buffer.from('hello world\nthis is text\n'),
      'the message has no header fields, so it does not look like an email',
    ],
    [
      'binary noise',
      Buffer.from([0, 1, 2, 255, 254, 10, 13, 0]),
      'the message has no header fields, so it does not look like an email',
    ],
  ];
  it.each(failures)('reports %s as unparseable', async (_what, raw, message) => {
    const result = await parseEmail(raw);
    expect(result).toMatchObject({
      ok: false,
      failure: { code: 'unparseable', message, size: raw.length },
    });
  });

  it('reports a header block over mailparser’s 1 MB limit as unparseable', async () => {
    const raw = Buffer.concat([
      Buffer.from('From: a@b.example\r\nX-Big: '),
      Buffer.alloc(1_100_000, 'a'),
      Buffer.from('\r\n\r\nx'),
    ]);
    const result = await parseEmail(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.failure.code).toBe('unparseable');
  });
});

describe('parseEmail: the size limit', () => {
  it('refuses a buffer over the limit without parsing it', async () => {
    const result = await parseEmail(simple, { maxBytes: 100 });
    expect(result).toEqual({
      ok: false,
      raw: null,
      failure: {
        code: 'too_large',
        message: `the message is larger than the limit of 100 bytes (at least ${simple.length} bytes)`,
        size: simple.length,
        maxBytes: 100,
      },
    });
  });

  it('stops reading a stream once it passes the limit, and releases it', async () => {
    let pulled = 0;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const endless = new Readable({
      read() {
        pulled += 1;
        this.push(
          pulled === 1 ? Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), chunk]) : chunk,
        );
      },
    });
    const result: ParseResult = await parseEmail(endless, { maxBytes: 1024 * 1024 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.failure.code).toBe('too_large');
    expect(pulled).toBeLessThan((1024 * 1024) / chunk.length + 4);
    expect(endless.destroyed).toBe(true);
  });

  it('parses a stream of exactly the limit', async () => {
    const result = await parseEmail(Readable.from([simple.subarray(0, 50), simple.subarray(50)]), {
      maxBytes: simple.length,
    });
    expect(result.ok && result.email.subject).toBe('Printer on floor 3');
  });

  it('rejects when the stream itself fails (an I/O error to retry, not bad mail)', async () => {
    const failing = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });
    await expect(parseEmail(failing)).rejects.toThrow('connection reset');
  });
});
