import type { ThreadHit } from '@mailroom/domain';
import { describe, expect, it } from 'vitest';
import {
  decide,
  formatTicketToken,
  MAX_THREAD_MESSAGE_IDS,
  threadKeys,
  ticketNumbersInSubject,
} from '../src/index';
import { makeChannel, makeEmail, reportPart } from './support/builders';

const context = { template: null };
const hit = (
  via: ThreadHit['via'],
  ticketNumber: number,
  participants: string[] = [],
): ThreadHit => ({
  ticketId: `ticket-${ticketNumber}`,
  ticketNumber,
  via,
  participants,
});

describe('threadKeys', () => {
  it('lists In-Reply-To first, then References newest first, without duplicates or the mail itself', () => {
    const email = makeEmail({
      messageId: 'self@customer.example',
      inReplyTo: ['<r3@helpdesk.example>'],
      references: [
        'r1@helpdesk.example',
        'r2@helpdesk.example',
        'r3@helpdesk.example',
        'self@customer.example',
      ],
    });
    expect(threadKeys(email).messageIds).toEqual([
      'r3@helpdesk.example',
      'r2@helpdesk.example',
      'r1@helpdesk.example',
    ]);
  });

  it('looks up at most the newest References of a very long thread', () => {
    const references = Array.from({ length: 300 }, (_, i) => `r${i}@helpdesk.example`);
    const ids = threadKeys(makeEmail({ references })).messageIds;
    expect(ids).toHaveLength(MAX_THREAD_MESSAGE_IDS);
    expect(ids[0]).toBe('r299@helpdesk.example');
  });

  const tokens: Array<[string, number[]]> = [
    ['Re: [#1042] Printer', [1042]],
    ['[Ticket#7] and [ticket #8] and [ # 9 ]', [7, 8, 9]],
    ['Re: [#1042] Fwd: [#1042]', [1042]],
    ['Issue #1042 without brackets', []],
    ['[#0] and [#abc]', []],
  ];
  it.each(tokens)('finds ticket numbers in "%s"', (subject, numbers) => {
    expect(ticketNumbersInSubject(subject)).toEqual(numbers);
    expect(threadKeys(makeEmail({ subject })).ticketNumbers).toEqual(numbers);
  });

  it('writes the token Mailroom puts into subjects so it reads back', () => {
    expect(ticketNumbersInSubject(`Re: ${formatTicketToken(31337)} x`)).toEqual([31337]);
  });

  it('gives a bounce’s original Message-ID, and none for other mail', () => {
    const bounce = makeEmail({
      contentType: 'multipart/report; report-type=delivery-status',
      attachments: [
        reportPart(
          'message/delivery-status',
          'Final-Recipient: rfc822; x@y.example\r\nAction: failed\r\n',
        ),
        reportPart('text/rfc822-headers', 'Message-ID: <reply-1@helpdesk.example>\r\n'),
      ],
    });
    expect(threadKeys(bounce).bounceOriginalMessageId).toBe('reply-1@helpdesk.example');
    expect(threadKeys(makeEmail()).bounceOriginalMessageId).toBeNull();
  });
});

describe('decide: threading', () => {
  const reply = makeEmail({
    subject: 'Re: [#1042] Printer',
    inReplyTo: ['reply-1@helpdesk.example'],
  });

  it('appends a reply found by In-Reply-To, naming the ticket', () => {
    expect(decide(reply, makeChannel(), [hit('in_reply_to', 1042)], context)).toMatchObject({
      kind: 'append',
      code: 'appended.in_reply_to',
      reason: 'appended to #1042 (In-Reply-To)',
      ticketId: 'ticket-1042',
      ticketNumber: 1042,
    });
  });

  it('appends by References when In-Reply-To found nothing', () => {
    expect(decide(reply, makeChannel(), [hit('references', 77)], context)).toMatchObject({
      code: 'appended.references',
      ticketNumber: 77,
    });
  });

  it('prefers In-Reply-To over References when they point at different tickets', () => {
    const decision = decide(
      reply,
      makeChannel(),
      [hit('references', 5), hit('in_reply_to', 6)],
      context,
    );
    expect(decision).toMatchObject({ code: 'appended.in_reply_to', ticketNumber: 6 });
  });

  it('prefers the ticket the sender is on when one Message-ID is on two tickets', () => {
    const decision = decide(
      reply,
      makeChannel(),
      [
        hit('in_reply_to', 8, ['bob@other.example']),
        hit('in_reply_to', 3, ['alice@customer.example']),
      ],
      context,
    );
    expect(decision).toMatchObject({ ticketNumber: 3 });
  });

  it('appends by subject token when the sender is already on the ticket', () => {
    const email = makeEmail({ subject: 'Re: [#1042] Printer' });
    const decision = decide(
      email,
      makeChannel(),
      [hit('subject_token', 1042, ['alice@customer.example'])],
      context,
    );
    expect(decision).toMatchObject({
      code: 'appended.subject_token',
      reason: 'appended to #1042 (ticket number in the subject, from a sender on the ticket)',
    });
  });

  it('accepts a Reply-To address on the ticket as the sender for a subject token', () => {
    const email = makeEmail({
      subject: '[#1042] more info',
      from: { address: 'alice.private@mail.example', name: '' },
      replyTo: [{ address: 'alice@customer.example', name: '' }],
    });
    const decision = decide(
      email,
      makeChannel(),
      [hit('subject_token', 1042, ['alice@customer.example'])],
      context,
    );
    expect(decision.code).toBe('appended.subject_token');
  });

  it('does not merge on a subject token from someone who is not on the ticket (false-merge guard)', () => {
    const email = makeEmail({
      subject: 'Re: [#1042] Printer',
      from: { address: 'mallory@elsewhere.example', name: '' },
    });
    const decision = decide(
      email,
      makeChannel(),
      [hit('subject_token', 1042, ['alice@customer.example'])],
      context,
    );
    expect(decision).toMatchObject({
      kind: 'create',
      code: 'created.subject_token_untrusted',
      reason:
        'created a new ticket — the subject names #1042, but mallory@elsewhere.example is not on that ticket, so it was not appended',
    });
  });

  it('ignores a subject-token hit for a number the subject does not carry', () => {
    const email = makeEmail({ subject: 'Printer' });
    const decision = decide(
      email,
      makeChannel(),
      [hit('subject_token', 1042, ['alice@customer.example'])],
      context,
    );
    expect(decision.code).toBe('created.new_thread');
  });

  it('trusts a Message-ID match even when the sender is new to the ticket (a colleague in Cc answers)', () => {
    const email = makeEmail({
      from: { address: 'carol@customer.example', name: '' },
      inReplyTo: ['reply-1@helpdesk.example'],
    });
    const decision = decide(
      email,
      makeChannel(),
      [hit('in_reply_to', 1042, ['alice@customer.example'])],
      context,
    );
    expect(decision.code).toBe('appended.in_reply_to');
  });

  const bounce = makeEmail({
    from: { address: 'mailer-daemon@mx.example.org', name: '' },
    contentType: 'multipart/report; report-type=delivery-status',
    attachments: [reportPart('message/delivery-status', 'Action: failed\r\nStatus: 5.1.1\r\n')],
  });

  it('appends a kept bounce to the ticket whose reply bounced', () => {
    const channel = makeChannel({ autoReply: { excludeClasses: ['auto_reply'] } });
    expect(decide(bounce, channel, [hit('bounce_original', 1042)], context)).toMatchObject({
      kind: 'append',
      code: 'appended.bounce_original',
      reason: 'appended to #1042 (bounce of a message on that ticket)',
    });
  });

  it('skips a bounce when bounces are excluded, whatever the database found', () => {
    expect(decide(bounce, makeChannel(), [hit('bounce_original', 1042)], context).code).toBe(
      'skipped.bounce',
    );
  });

  it('never uses a bounce-original hit for mail that is not a bounce', () => {
    expect(decide(makeEmail(), makeChannel(), [hit('bounce_original', 1042)], context).code).toBe(
      'created.new_thread',
    );
  });

  it('creates a new ticket when nothing was found', () => {
    expect(decide(makeEmail(), makeChannel(), [], context)).toMatchObject({
      kind: 'create',
      code: 'created.new_thread',
      reason:
        'created a new ticket — no known ticket matched its In-Reply-To, References or subject',
    });
  });
});
