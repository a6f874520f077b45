import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAIL_MIX,
  MAIL_KINDS,
  generateMail,
  generateMails,
  referenceTo,
  type GeneratedMail,
} from '@mailroom/testkit';

function header(mail: GeneratedMail, name: string): string | undefined {
  const head = mail.raw.toString('latin1').split('\r\n\r\n')[0] ?? '';
  const match = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r\\n[ \\t].*)*)`, 'mi').exec(head);
  return match?.[1]?.replace(/\r\n[ \t]+/g, ' ');
}

/** Every declared boundary is used, closed, and no bare LF appears. */
function wellFormed(mail: GeneratedMail): boolean {
  const text = mail.raw.toString('latin1');
  if (/[^\r]\n/.test(text)) return false;
  const boundaries = [...text.matchAll(/boundary="([^"]+)"/g)].map((m) => m[1]!);
  return boundaries.every(
    (b) => text.includes(`\r\n--${b}\r\n`) && text.includes(`\r\n--${b}--\r\n`),
  );
}

describe('generateMail', () => {
  it('returns the same bytes for the same seed and different bytes for another', () => {
    const a = generateMail('seed-1');
    expect(generateMail('seed-1').raw.equals(a.raw)).toBe(true);
    expect(generateMail('seed-2').raw.equals(a.raw)).toBe(false);
    expect(generateMails(7, 50).map((m) => m.messageId)).toEqual(
      generateMails(7, 50).map((m) => m.messageId),
    );
  });

  it.each(MAIL_KINDS)('produces a well-formed %s mail with the usual headers', (kind) => {
    const mail = generateMail(`kind-${kind}`, { kind, attachmentSize: 2_000 });
    expect(mail.kind).toBe(kind);
    expect(wellFormed(mail)).toBe(true);
    expect(header(mail, 'Message-ID')).toBe(mail.messageId);
    expect(mail.messageId).toMatch(/^<[^<>@\s]+@[^<>@\s]+>$/);
    expect(header(mail, 'Date')).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/);
    expect(header(mail, 'From')).toContain(mail.from);
    expect(header(mail, 'To')).toBe('support@mailroom.test');
    expect(header(mail, 'MIME-Version')).toBe('1.0');
    expect(mail.size).toBe(mail.raw.length);
  });

  it('shapes each kind as a helpdesk would see it', () => {
    const html = generateMail('h', { kind: 'html' });
    expect(header(html, 'Content-Type')).toMatch(/^text\/html/);
    expect(header(generateMail('a', { kind: 'alternative' }), 'Content-Type')).toMatch(
      /^multipart\/alternative/,
    );

    const withFile = generateMail('f', { kind: 'attachment', attachmentSize: 50_000 });
    expect(header(withFile, 'Content-Type')).toMatch(/^multipart\/mixed/);
    expect(withFile.attachments).toEqual([
      expect.objectContaining({ size: 50_000, inline: false }),
    ]);
    expect(withFile.raw.toString('latin1')).toMatch(/Content-Disposition: attachment; filename/);
    expect(withFile.size).toBeGreaterThan(50_000 * (4 / 3));

    const inline = generateMail('i', { kind: 'inline-image' });
    const cid = inline.attachments[0]?.contentId;
    expect(cid).toBeDefined();
    expect(inline.raw.toString('latin1')).toContain(`Content-ID: <${cid}>`);
    expect(inline.raw.toString('latin1')).toMatch(/multipart\/related/);
    expect(inline.raw.toString('latin1')).toContain(`cid:${cid}`);

    const bulk = generateMail('b', { kind: 'bulk' });
    expect(header(bulk, 'Precedence')).toBe('bulk');
    expect(header(bulk, 'List-Unsubscribe')).toMatch(/^<mailto:/);
    expect(header(bulk, 'List-Id')).toBeDefined();
  });

  it('threads replies, auto-replies and bounces to the given Message-ID', () => {
    const original = generateMail('orig', { kind: 'plain' });
    const reply = generateMail('reply', { kind: 'reply', replyTo: referenceTo(original) });
    expect(reply.inReplyTo).toBe(original.messageId);
    expect(header(reply, 'In-Reply-To')).toBe(original.messageId);
    expect(header(reply, 'References')).toContain(original.messageId);
    expect(header(reply, 'Subject')).toMatch(/^(Re|RE|AW): /);

    const second = generateMail('reply-2', { kind: 'reply', replyTo: referenceTo(reply) });
    expect(second.references).toEqual([original.messageId, reply.messageId]);

    const ticketMail = {
      messageId: '<ticket-1042-abc@mailroom.test>',
      subject: 'Re: Refund [#1042]',
    };
    const ooo = generateMail('ooo', { kind: 'auto-reply', replyTo: ticketMail });
    expect(header(ooo, 'Auto-Submitted')).toBe('auto-replied');
    expect(ooo.autoSubmitted).toBe('auto-replied');
    expect(ooo.inReplyTo).toBe(ticketMail.messageId);

    const bounce = generateMail('bounce', { kind: 'bounce', replyTo: ticketMail });
    expect(header(bounce, 'Content-Type')).toMatch(
      /^multipart\/report; report-type=delivery-status/,
    );
    expect(header(bounce, 'Return-Path')).toBe('<>');
    expect(bounce.bouncedMessageId).toBe(ticketMail.messageId);
    expect(bounce.raw.toString('latin1')).toMatch(
      /Content-Type: message\/delivery-status[\s\S]*Status: [45]\.\d\.\d/,
    );
    expect(bounce.raw.toString('latin1')).toContain(`Message-ID: ${ticketMail.messageId}`);
  });

  it('honours sender domains, recipient, date and message-id domain', () => {
    const date = new Date('2025-06-01T12:00:00Z');
    const mail = generateMail('opts', {
      kind: 'plain',
      fromDomains: ['customer.example'],
      to: 'help@acme.test',
      date,
      messageIdDomain: 'ids.example',
    });
    expect(mail.from).toMatch(/@customer\.example$/);
    expect(header(mail, 'To')).toBe('help@acme.test');
    expect(mail.date).toEqual(date);
    expect(mail.messageId).toMatch(/@ids\.example>$/);
  });
});

describe('generateMails', () => {
  it('has a median near 4 KB, ~2% mails with a 50 KB attachment, and threads within the batch', () => {
    const mails = generateMails('distribution', 2000);
    const sizes = mails.map((m) => m.size).sort((a, b) => a - b);
    const median = sizes[1000]!;
    expect(median).toBeGreaterThan(3_000);
    expect(median).toBeLessThan(5_500);
    const big =
      mails.filter((m) => m.attachments.some((a) => a.size >= 50_000)).length / mails.length;
    expect(big).toBeGreaterThan(0.01);
    expect(big).toBeLessThan(0.035);
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(mails.length);
    expect(new Set(mails.map((m) => m.kind))).toEqual(new Set(Object.keys(DEFAULT_MAIL_MIX)));

    const ids = new Set(mails.map((m) => m.messageId));
    const replies = mails.filter((m) => m.kind === 'reply');
    expect(replies.filter((m) => ids.has(m.inReplyTo!)).length).toBe(
      replies.length - (ids.has(replies[0]!.inReplyTo!) ? 0 : 1),
    );
    for (let i = 1; i < mails.length; i += 1)
      expect(mails[i]!.date >= mails[i - 1]!.date).toBe(true);
  });

  it('uses a custom mix and reply targets', () => {
    const targets = [{ messageId: '<out-1@mailroom.test>', subject: 'Re: Hello [#7]' }];
    const mails = generateMails('mix', 20, { mix: { reply: 1 }, replyTargets: targets });
    expect(mails.every((m) => m.kind === 'reply' && m.inReplyTo === '<out-1@mailroom.test>')).toBe(
      true,
    );
  });
});
