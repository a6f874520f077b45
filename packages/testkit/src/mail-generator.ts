/*
 * Deterministic, realistic raw RFC 5322 mail for tests and benchmarks: the same seed gives
 * the same bytes everywhere. It covers what a helpdesk inbox receives (plain, HTML,
 * alternatives, attachments, inline images, replies, auto-replies, bounces, list mail),
 * with metadata so a test knows what it generated without parsing it back. It must stay
 * free of I/O, clocks and Math.random.
 */
import {
  CRLF,
  base64Lines,
  encodeWords,
  fileNameParameter,
  foldHeader,
  formatAddress,
  isAscii,
  quotedPrintable,
  rfc5322Date,
} from './mime';
import { createRandom, type Random } from './prng';
import {
  CUSTOMER_DOMAINS,
  FIRST_NAMES,
  LAST_NAMES,
  SUBJECTS,
  bodyText,
  escapeHtml,
  htmlFromText,
  paragraph,
} from './mail-text';

export type MailKind =
  | 'plain'
  | 'html'
  | 'alternative'
  | 'attachment'
  | 'inline-image'
  | 'reply'
  | 'auto-reply'
  | 'bounce'
  | 'bulk';

export const MAIL_KINDS: readonly MailKind[] = [
  'plain', 'html', 'alternative', 'attachment', 'inline-image', 'reply', 'auto-reply', 'bounce', 'bulk',
]; // prettier-ignore

/** Default share of each kind; gives a median near 4 KB and ~2% mails with a 50 KB attachment. */
export const DEFAULT_MAIL_MIX: Readonly<Record<MailKind, number>> = {
  plain: 30,
  html: 6,
  alternative: 28,
  attachment: 2,
  'inline-image': 4,
  reply: 16,
  'auto-reply': 4,
  bounce: 3,
  bulk: 7,
};

/** A message that a reply, auto-reply or bounce refers to. */
export interface MailReference {
  messageId: string;
  subject?: string;
  /** Its own References chain (oldest first). */
  references?: readonly string[];
  /** Its sender, quoted in replies ("On …, X wrote:"). */
  from?: string;
  date?: Date;
}

export interface GenerateMailOptions {
  /** Kind to generate; drawn from `mix` when absent. */
  kind?: MailKind;
  mix?: Partial<Record<MailKind, number>>;
  /** Sender domains to draw from (default: a list of example.* domains). */
  fromDomains?: readonly string[];
  /** A fixed sender instead of a generated one. */
  from?: { name?: string; address: string };
  /** Recipient address (default `support@mailroom.test`). */
  to?: string;
  /** Date header (default: a seed-derived moment in March-April 2025). */
  date?: Date;
  /** Decoded size in bytes of the attachment of kind 'attachment' (default 50,000). */
  attachmentSize?: number;
  /** Approximate size of the text body in bytes (default: seed-derived, 300-2,500). */
  bodySize?: number;
  /** What a reply / auto-reply answers or a bounce returns (default: a made-up helpdesk mail). */
  replyTo?: MailReference;
  /** Domain of generated Message-IDs (default: the sender's domain). */
  messageIdDomain?: string;
}

export interface GeneratedAttachment {
  fileName: string;
  contentType: string;
  size: number;
  inline: boolean;
  contentId?: string;
}

export interface GeneratedMail {
  raw: Buffer;
  kind: MailKind;
  /** With angle brackets, as in the header: `<…@…>`. */
  messageId: string;
  subject: string;
  from: string;
  fromName: string;
  to: string;
  date: Date;
  inReplyTo?: string;
  references: string[];
  /** For bounces: the Message-ID of the returned message. */
  bouncedMessageId?: string;
  autoSubmitted?: string;
  attachments: GeneratedAttachment[];
  size: number;
}

export interface GenerateMailsOptions extends Omit<
  GenerateMailOptions,
  'kind' | 'date' | 'replyTo'
> {
  /** Date of the first mail (default 2025-03-03T08:00:00Z); later mails follow minutes apart. */
  startDate?: Date;
  /**
   * Messages replies may answer (e.g. a ticket's outgoing Message-IDs). Without it, replies
   * answer earlier mails of the same batch, forming threads.
   */
  replyTargets?: readonly MailReference[];
}

type Leaf = { kind: 'leaf'; headers: string[]; body: string };
type Multipart = {
  kind: 'multipart';
  subtype: string;
  params?: string;
  boundary: string;
  parts: Part[];
};
type Part = Leaf | Multipart;

const ZONES = [0, 60, 120, -300, -240, 330, 540, 0, 60];
const HELPDESK = 'support@mailroom.test';
const BASE_DATE = Date.UTC(2025, 2, 1, 6, 0, 0);

function textLeaf(text: string, subtype: 'plain' | 'html'): Leaf {
  const needsQp =
    !isAscii(text.replaceAll('\n', ' ')) || text.split('\n').some((l) => l.length > 76);
  return {
    kind: 'leaf',
    headers: [
      `Content-Type: text/${subtype}; charset="utf-8"`,
      `Content-Transfer-Encoding: ${needsQp ? 'quoted-printable' : '7bit'}`,
    ],
    body: needsQp ? quotedPrintable(text) : text.split('\n').join(CRLF),
  };
}

function binaryLeaf(
  contentType: string,
  fileName: string,
  data: Buffer,
  disposition: 'attachment' | 'inline',
  contentId?: string,
): Leaf {
  return {
    kind: 'leaf',
    headers: [
      `Content-Type: ${contentType}; ${fileNameParameter('name', fileName)}`,
      `Content-Disposition: ${disposition}; ${fileNameParameter('filename', fileName)}`,
      ...(contentId ? [`Content-ID: <${contentId}>`] : []),
      'Content-Transfer-Encoding: base64',
    ],
    body: base64Lines(data),
  };
}

function renderPart(part: Part): { headers: string[]; body: string } {
  if (part.kind === 'leaf') return part;
  const params = part.params ? `; ${part.params}` : '';
  const body = [
    'This is a multi-part message in MIME format.',
    ...part.parts.map((child) => {
      const rendered = renderPart(child);
      return `--${part.boundary}${CRLF}${rendered.headers.join(CRLF)}${CRLF}${CRLF}${rendered.body}`;
    }),
    `--${part.boundary}--`,
    '',
  ].join(CRLF);
  return {
    headers: [
      `Content-Type: multipart/${part.subtype}${params};${CRLF} boundary="${part.boundary}"`,
    ],
    body,
  };
}

function pickKind(random: Random, mix: Partial<Record<MailKind, number>>): MailKind {
  const entries = MAIL_KINDS.map((kind) => [kind, Math.max(0, mix[kind] ?? 0)] as const);
  const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
  if (total <= 0) throw new Error('mail mix has no positive weight');
  let point = random.next() * total;
  for (const [kind, weight] of entries) {
    point -= weight;
    if (point < 0) return kind;
  }
  return entries[entries.length - 1]![0];
}

function asciiLocalPart(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ø/g, 'o')
    .replace(/[^A-Za-z0-9]/g, '')
    .toLowerCase();
}

function pdfLike(random: Random, size: number): Buffer {
  const head = Buffer.from(
    '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n' +
      '2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n4 0 obj\n<< /Length 0 /Filter /FlateDecode >>\nstream\n',
    'latin1',
  );
  const tail = Buffer.from('\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
  const middle = Math.max(0, size - head.length - tail.length);
  return Buffer.concat([head, random.bytes(middle), tail]).subarray(0, Math.max(size, 1));
}

function pngLike(random: Random, size: number): Buffer {
  const signature = Buffer.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
  ]);
  return Buffer.concat([signature, random.bytes(Math.max(0, size - signature.length))]);
}

function receivedHeaders(random: Random, senderDomain: string, date: Date, zone: number): string[] {
  const ip = `${random.pick(['192.0.2', '198.51.100', '203.0.113'])}.${random.int(1, 254)}`;
  const hop1 = new Date(date.getTime() + random.int(1, 4) * 1000);
  const hop2 = new Date(hop1.getTime() + random.int(0, 2) * 1000);
  return [
    `Received: from mx.mailroom.test (localhost [127.0.0.1])${CRLF}\tby imap.mailroom.test (Dovecot) with LMTP id ${random.hex(16)}${CRLF}\tfor <${HELPDESK}>; ${rfc5322Date(hop2, 0)}`,
    `Received: from mail.${senderDomain} (mail.${senderDomain} [${ip}])${CRLF}\tby mx.mailroom.test (Postfix) with ESMTPS id ${random.hex(10).toUpperCase()}${CRLF}\tfor <${HELPDESK}>; ${rfc5322Date(hop1, zone)}`,
  ];
}

function dkimHeader(random: Random, domain: string): string {
  const signature = random.bytes(256).toString('base64');
  const folded = signature.match(/.{1,70}/g)?.join(`${CRLF}\t `) ?? signature;
  return (
    `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${domain}; s=selector1;${CRLF}` +
    `\th=from:to:subject:date:message-id:mime-version:content-type;${CRLF}` +
    `\tbh=${random.bytes(32).toString('base64')};${CRLF}\tb=${folded}`
  );
}

/** Generates one mail. Same seed + options = same bytes. */
export function generateMail(
  seed: string | number,
  options: GenerateMailOptions = {},
): GeneratedMail {
  const random = createRandom(`mail:${seed}`);
  const kind = options.kind ?? pickKind(random.fork('kind'), options.mix ?? DEFAULT_MAIL_MIX);
  const zone = random.pick(ZONES);
  const date = options.date ?? new Date(BASE_DATE + random.int(0, 60 * 24 * 3600) * 1000);
  const to = options.to ?? HELPDESK;

  const first = random.pick(FIRST_NAMES);
  const last = random.pick(LAST_NAMES);
  const domain = random.pick(options.fromDomains ?? CUSTOMER_DOMAINS);
  let fromName = options.from?.name ?? `${first} ${last}`;
  let fromAddress =
    options.from?.address ?? `${asciiLocalPart(first)}.${asciiLocalPart(last)}@${domain}`;
  const idDomain = () => options.messageIdDomain ?? fromAddress.split('@')[1] ?? 'example.com';
  const messageId = () => `<${random.hex(8)}-${random.hex(4)}-${random.hex(12)}@${idDomain()}>`;

  const replyTo: MailReference = options.replyTo ?? {
    messageId: `<ticket-${random.int(1000, 9999)}-${random.hex(8)}@mailroom.test>`,
    subject: `Re: ${random.pick(SUBJECTS).replace('{n}', String(random.int(10000, 99999)))} [#${random.int(1000, 9999)}]`,
    from: `Mailroom Support <${HELPDESK}>`,
    date: new Date(date.getTime() - random.int(600, 3 * 86400) * 1000),
  };
  const baseSubject = random.pick(SUBJECTS).replace('{n}', String(random.int(10000, 99999)));
  const bodySize = options.bodySize ?? Math.round(400 + random.next() ** 1.3 * 2800);
  const text = bodyText(random, fromName, bodySize);
  const extraHeaders: string[] = [];
  const attachments: GeneratedAttachment[] = [];
  let subject = baseSubject;
  let inReplyTo: string | undefined;
  let references: string[] = [];
  let bouncedMessageId: string | undefined;
  let autoSubmitted: string | undefined;
  let body: Part;
  const boundary = () =>
    `----=_Part_${random.int(100000, 999999)}_${random.hex(10)}.${random.int(1e12, 9e12)}`;

  const alternative = (plain: string, html: string): Multipart => ({
    kind: 'multipart',
    subtype: 'alternative',
    boundary: boundary(),
    parts: [textLeaf(plain, 'plain'), textLeaf(html, 'html')],
  });
  const refersTo = (reference: MailReference) => {
    inReplyTo = reference.messageId;
    references = [...(reference.references ?? []), reference.messageId].slice(-10);
    extraHeaders.push(`In-Reply-To: ${inReplyTo}`, foldHeader('References', references.join(' ')));
  };

  switch (kind) {
    case 'plain':
      body = textLeaf(text, 'plain');
      break;
    case 'html':
      body = textLeaf(htmlFromText(text), 'html');
      break;
    case 'alternative':
      body = alternative(text, htmlFromText(text));
      break;
    case 'attachment': {
      const size = options.attachmentSize ?? 50_000;
      const pdf = random.chance(0.8);
      const fileName = pdf
        ? random.pick([
            'invoice.pdf',
            'Rechnung März.pdf',
            'screenshot-report.pdf',
            'order-details.pdf',
          ])
        : random.pick(['export.xlsx', 'logfile.bin', 'Übersicht.docx']);
      const contentType = pdf ? 'application/pdf' : 'application/octet-stream';
      attachments.push({ fileName, contentType, size, inline: false });
      body = {
        kind: 'multipart',
        subtype: 'mixed',
        boundary: boundary(),
        parts: [
          random.chance(0.5) ? textLeaf(text, 'plain') : alternative(text, htmlFromText(text)),
          binaryLeaf(
            contentType,
            fileName,
            pdf ? pdfLike(random, size) : random.bytes(size),
            'attachment',
          ),
        ],
      };
      break;
    }
    case 'inline-image': {
      const contentId = `image001.png@01DB${random.hex(4).toUpperCase()}.${random.hex(8).toUpperCase()}`;
      const size = random.int(1500, 4000);
      attachments.push({
        fileName: 'image001.png',
        contentType: 'image/png',
        size,
        inline: true,
        contentId,
      });
      const html = htmlFromText(
        text,
        `<p><img src="cid:${contentId}" width="120" height="40" alt="logo"></p>`,
      );
      body = {
        kind: 'multipart',
        subtype: 'related',
        params: 'type="multipart/alternative"',
        boundary: boundary(),
        parts: [
          alternative(text, html),
          binaryLeaf('image/png', 'image001.png', pngLike(random, size), 'inline', contentId),
        ],
      };
      break;
    }
    case 'reply': {
      const original = replyTo;
      refersTo(original);
      const originalSubject = (original.subject ?? baseSubject).replace(
        /^((re|aw|fw|wg):\s*)+/i,
        '',
      );
      subject = `${random.pick(['Re: ', 'RE: ', 'AW: ', 'Re: '])}${originalSubject}`;
      const quotedDate = rfc5322Date(original.date ?? new Date(date.getTime() - 3600_000), zone);
      const quoted = paragraph(random.fork('quoted'))
        .split(/(?<=[.?!]) /)
        .map((line) => `> ${line}`)
        .join('\n');
      const replyText = `${bodyText(random, fromName, Math.min(bodySize, 600))}\n\nOn ${quotedDate}, ${original.from ?? `Support <${HELPDESK}>`} wrote:\n${quoted}\n`;
      body = random.chance(0.6)
        ? textLeaf(replyText, 'plain')
        : alternative(replyText, htmlFromText(replyText));
      break;
    }
    case 'auto-reply': {
      refersTo(replyTo);
      const originalSubject = (replyTo.subject ?? baseSubject).replace(/^((re|aw):\s*)+/i, '');
      const variant = random.int(0, 3);
      subject = [
        `Automatic reply: ${originalSubject}`,
        `Out of Office: ${originalSubject}`,
        `Abwesenheitsnotiz: ${originalSubject}`,
        `Réponse automatique : ${originalSubject}`,
      ][variant]!;
      autoSubmitted = 'auto-replied';
      extraHeaders.push('Auto-Submitted: auto-replied');
      if (variant === 0)
        extraHeaders.push(
          'X-Auto-Response-Suppress: All',
          'X-MS-Exchange-Inbox-Rules-Loop: ' + fromAddress,
        );
      if (variant === 1) extraHeaders.push('Precedence: auto_reply', 'X-Autoreply: yes');
      const until = new Date(date.getTime() + random.int(2, 14) * 86400_000);
      const oooText = `Thank you for your message. I am out of the office until ${until.toUTCString().slice(0, 16)} with limited access to email.\nFor urgent matters please contact my colleague.\n\n${fromName}`;
      body = random.chance(0.5)
        ? textLeaf(oooText, 'plain')
        : alternative(oooText, htmlFromText(oooText));
      break;
    }
    case 'bounce': {
      const mta = `mx${random.int(1, 4)}.${domain}`;
      const recipient = `${asciiLocalPart(random.pick(FIRST_NAMES))}@${domain}`;
      bouncedMessageId = replyTo.messageId;
      fromName = 'Mail Delivery System';
      fromAddress = `MAILER-DAEMON@${mta}`;
      subject = random.pick([
        'Undelivered Mail Returned to Sender',
        'Delivery Status Notification (Failure)',
        'Undeliverable: ' + (replyTo.subject ?? baseSubject),
      ]);
      autoSubmitted = 'auto-replied';
      extraHeaders.push('Auto-Submitted: auto-replied');
      if (random.chance(0.4)) refersTo(replyTo);
      const status = random.pick(['5.1.1', '5.2.2', '5.7.1', '4.4.7']);
      const diagnostic = {
        '5.1.1': `550 5.1.1 <${recipient}>: Recipient address rejected: User unknown in virtual mailbox table`,
        '5.2.2': `552 5.2.2 <${recipient}>: Mailbox full`,
        '5.7.1': `550 5.7.1 <${recipient}>: Message rejected as spam`,
        '4.4.7': `Delivery expired (message too old) - connection timed out`,
      }[status]!;
      const arrival = rfc5322Date(new Date(date.getTime() - 60_000), zone);
      const explanation = [
        `This is the mail system at host ${mta}.`,
        '',
        "I'm sorry to have to inform you that your message could not",
        "be delivered to one or more recipients. It's attached below.",
        '',
        `<${recipient}>: host ${mta}[${random.pick(['192.0.2', '198.51.100'])}.${random.int(1, 254)}] said: ${diagnostic}`,
      ].join('\n');
      const deliveryStatus = [
        `Reporting-MTA: dns; ${mta}`,
        `X-Postfix-Queue-ID: ${random.hex(10).toUpperCase()}`,
        `Arrival-Date: ${arrival}`,
        '',
        `Final-Recipient: rfc822; ${recipient}`,
        `Original-Recipient: rfc822;${recipient}`,
        `Action: ${status.startsWith('4') ? 'delayed' : 'failed'}`,
        `Status: ${status}`,
        `Remote-MTA: dns; ${mta}`,
        `Diagnostic-Code: smtp; ${diagnostic}`,
        '',
      ].join(CRLF);
      const originalHeaders = [
        `Return-Path: <${HELPDESK}>`,
        `From: Mailroom Support <${HELPDESK}>`,
        `To: ${recipient}`,
        foldHeader('Subject', encodeWords(replyTo.subject ?? baseSubject)),
        `Message-ID: ${replyTo.messageId}`,
        `Date: ${rfc5322Date(replyTo.date ?? new Date(date.getTime() - 120_000), 0)}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset="utf-8"',
        '',
      ].join(CRLF);
      body = {
        kind: 'multipart',
        subtype: 'report',
        params: 'report-type=delivery-status',
        boundary: boundary(),
        parts: [
          {
            kind: 'leaf',
            headers: [
              'Content-Description: Notification',
              'Content-Type: text/plain; charset=us-ascii',
            ],
            body: explanation.split('\n').join(CRLF),
          },
          {
            kind: 'leaf',
            headers: [
              'Content-Description: Delivery report',
              'Content-Type: message/delivery-status',
            ],
            body: deliveryStatus,
          },
          {
            kind: 'leaf',
            headers: [
              'Content-Description: Undelivered Message Headers',
              'Content-Type: text/rfc822-headers',
            ],
            body: originalHeaders,
          },
        ],
      };
      break;
    }
    case 'bulk': {
      const brand = random.pick(['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli']);
      const listDomain = `news.${brand.toLowerCase()}.example`;
      fromName = `${brand} Newsletter`;
      fromAddress = `newsletter@${listDomain}`;
      subject = random.pick([
        `${brand} monthly update`,
        `Your ${brand} digest`,
        `New features at ${brand}`,
        `${brand}: Angebote der Woche`,
      ]);
      extraHeaders.push(
        'Precedence: bulk',
        `List-Id: ${brand} News <news.${listDomain}>`,
        `List-Unsubscribe: <mailto:unsubscribe+${random.hex(12)}@${listDomain}>,${CRLF} <https://${listDomain}/u/${random.hex(24)}>`,
        'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
        `Feedback-ID: ${random.int(100, 999)}:${brand.toLowerCase()}:newsletter`,
      );
      const rows = Array.from({ length: random.int(2, 4) }, () => paragraph(random));
      const html = htmlFromText(
        text,
        `<table width="600" cellpadding="8">${rows.map((row) => `<tr><td style="border-bottom:1px solid #eee">${escapeHtml(row)}</td></tr>`).join('')}</table>` +
          `<p style="font-size:9pt;color:#888"><a href="https://${listDomain}/unsubscribe">Unsubscribe</a></p>`,
      );
      body = alternative(
        `${text}\n\n${rows.join('\n\n')}\n\nUnsubscribe: https://${listDomain}/unsubscribe`,
        html,
      );
      break;
    }
  }

  const id = messageId();
  const header = [
    ...(kind === 'bounce' ? ['Return-Path: <>'] : [`Return-Path: <${fromAddress}>`]),
    ...receivedHeaders(random, domain, date, zone),
    ...(kind === 'bounce' ? [] : [dkimHeader(random, fromAddress.split('@')[1] ?? domain)]),
    `From: ${formatAddress(fromName, fromAddress)}`,
    `To: ${to}`,
    ...(random.chance(0.08)
      ? [`Cc: ${formatAddress(random.pick(FIRST_NAMES), `team@${domain}`)}`]
      : []),
    isAscii(subject) ? foldHeader('Subject', subject) : `Subject: ${encodeWords(subject)}`,
    `Date: ${rfc5322Date(date, zone)}`,
    `Message-ID: ${id}`,
    ...extraHeaders,
    ...(random.chance(0.3)
      ? [
          `X-Mailer: ${random.pick(['Microsoft Outlook 16.0', 'Apple Mail (2.3774)', 'Thunderbird 128.5.0'])}`,
        ]
      : []),
    'MIME-Version: 1.0',
  ];
  const rendered = renderPart(body);
  const raw = Buffer.from(
    [...header, ...rendered.headers].join(CRLF) +
      CRLF +
      CRLF +
      rendered.body +
      (rendered.body.endsWith(CRLF) ? '' : CRLF),
    'utf8',
  );

  return {
    raw,
    kind,
    messageId: id,
    subject,
    from: fromAddress,
    fromName,
    to,
    date,
    ...(inReplyTo ? { inReplyTo } : {}),
    references,
    ...(bouncedMessageId ? { bouncedMessageId } : {}),
    ...(autoSubmitted ? { autoSubmitted } : {}),
    attachments,
    size: raw.length,
  };
}

/** The MailReference a reply to `mail` needs (Message-ID, subject, References, sender). */
export function referenceTo(mail: GeneratedMail): MailReference {
  return {
    messageId: mail.messageId,
    subject: mail.subject,
    references: mail.references,
    from: formatAddress(mail.fromName, mail.from),
    date: mail.date,
  };
}

/**
 * Generates `count` mails in date order. Replies answer earlier mails of the batch (or
 * `replyTargets`), so threads form; auto-replies and bounces refer to made-up helpdesk mail.
 */
export function generateMails(
  seed: string | number,
  count: number,
  options: GenerateMailsOptions = {},
): GeneratedMail[] {
  const random = createRandom(`batch:${seed}`);
  const mix = options.mix ?? DEFAULT_MAIL_MIX;
  const mails: GeneratedMail[] = [];
  let time = (options.startDate ?? new Date(Date.UTC(2025, 2, 3, 8, 0, 0))).getTime();
  const { replyTargets, startDate: _startDate, ...mailOptions } = options;
  const threadable: MailReference[] = [];
  for (let i = 0; i < count; i += 1) {
    const kind = pickKind(random, mix);
    let replyTo: MailReference | undefined;
    if (kind === 'reply') {
      const candidates = replyTargets ?? threadable;
      replyTo = candidates.length > 0 ? random.pick(candidates) : undefined;
    }
    mails.push(
      generateMail(`${seed}:${i}`, {
        ...mailOptions,
        kind,
        date: new Date(time),
        ...(replyTo ? { replyTo } : {}),
      }),
    );
    const mail = mails[mails.length - 1]!;
    if (mail.kind !== 'bounce' && mail.kind !== 'bulk' && mail.kind !== 'auto-reply') {
      threadable.push(referenceTo(mail));
    }
    time += random.int(5, 900) * 1000;
  }
  return mails;
}
