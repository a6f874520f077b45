import type { Decision, TicketDraft } from '@mailroom/domain';
import { describe, expect, it } from 'vitest';
import { decide, parseFailureDecision, reasonCodes } from '../src/index';
import { attachment, makeChannel, makeEmail, template, validMapping } from './support/builders';

const ticketOf = (decision: Decision): TicketDraft => {
  if (decision.kind !== 'create')
    throw new Error(`expected a ticket, got ${decision.code}: ${decision.reason}`);
  return decision.ticket;
};

const mapped = (change: (mapping: ReturnType<typeof validMapping>) => void = () => {}) => {
  const mapping = validMapping();
  change(mapping);
  return makeChannel({}, { mapping });
};

const withTemplate = { template, ownMessageIdDomains: [] };

describe('decide: a ticket without a ticket mapping', () => {
  it('carries the mail as the first message, with the sender as requester', () => {
    const ticket = ticketOf(
      decide(makeEmail({ importance: 'high' }), makeChannel(), [], { template: null }),
    );
    expect(ticket).toMatchObject({
      tenantId: 'tenant-1',
      mailboxId: 'mbx-1',
      templateId: null,
      ticketTypeId: null,
      offerId: null,
      subject: 'Printer on floor 3 is broken',
      importance: 'high',
      requester: { address: 'alice@customer.example', name: 'Alice Example' },
      fields: {},
      restrictedFields: {},
      attachOriginalEml: false,
    });
    expect(ticket.message).toMatchObject({
      messageId: 'CAF1234@mail.customer.example',
      text: 'Hello, the printer on floor 3 shows error E42.\n\nAlice',
      sentAt: '2025-03-04T09:15:00.000Z',
    });
  });

  it('names a ticket without subject "(no subject)" and uses medium importance when the mail says none', () => {
    const ticket = ticketOf(
      decide(makeEmail({ subject: '   ' }), makeChannel(), [], { template: null }),
    );
    expect([ticket.subject, ticket.importance]).toEqual(['(no subject)', 'medium']);
  });

  it('falls back to Sender, then Reply-To, for the requester', () => {
    const email = makeEmail({
      from: null,
      replyTo: [{ address: 'Bob@Customer.example', name: 'Bob' }],
    });
    expect(ticketOf(decide(email, makeChannel(), [], { template: null })).requester).toEqual({
      address: 'bob@customer.example',
      name: 'Bob',
    });
  });

  it('quarantines mail that has no sender address at all', () => {
    const decision = decide(
      makeEmail({ from: { address: '', name: 'Garbage' } }),
      makeChannel(),
      [],
      { template: null },
    );
    expect(decision).toMatchObject({
      kind: 'quarantine',
      code: 'quarantined.no_sender',
      reason:
        'quarantined: no sender — the message has no readable sender address (From, Sender and Reply-To are missing or unreadable)',
    });
  });

  it('writes aliases in To and Cc as the channel’s primary address', () => {
    const channel = makeChannel(
      { aliases: ['help@helpdesk.example'] },
      {
        ownAddresses: ['support@helpdesk.example', 'help@helpdesk.example'],
      },
    );
    const email = makeEmail({
      to: [{ address: 'help@helpdesk.example', name: 'Help' }],
      cc: [
        { address: 'support@helpdesk.example', name: '' },
        { address: 'carol@customer.example', name: '' },
      ],
    });
    const message = ticketOf(decide(email, channel, [], { template: null })).message;
    expect(message.to.map((a) => a.address)).toEqual(['support@helpdesk.example']);
    expect(message.cc.map((a) => a.address)).toEqual([
      'support@helpdesk.example',
      'carol@customer.example',
    ]);
  });
});

describe('decide: the ticket mapping', () => {
  const email = makeEmail({ subject: 'New request: laptop', importance: 'high' });

  it('fills the template fields from defaults and email properties, with role restrictions', () => {
    const ticket = ticketOf(decide(email, mapped(), [], withTemplate));
    expect(ticket).toMatchObject({
      templateId: 'tpl-1',
      offerId: 'offer-basic',
      fields: {
        priority: 'High',
        site: 'Berlin',
        summary: 'New request: laptop',
        customer_email: 'alice@customer.example',
        customer_name: 'Alice Example',
      },
      restrictedFields: { site: ['admin'] },
    });
  });

  it('chooses the ticket type by subject keyword, else the default type', () => {
    expect(ticketOf(decide(email, mapped(), [], withTemplate)).ticketTypeId).toBe('type-request');
    expect(ticketOf(decide(makeEmail(), mapped(), [], withTemplate)).ticketTypeId).toBe(
      'type-incident',
    );
  });

  it('keeps the default of a field when the mapped property is empty, and skips optional mappings then', () => {
    const quiet = makeEmail({
      importance: null,
      from: { address: 'alice@customer.example', name: '' },
    });
    const ticket = ticketOf(
      decide(
        quiet,
        mapped((m) => (m.defaultImportance = 'low')),
        [],
        withTemplate,
      ),
    );
    expect(ticket.importance).toBe('low');
    expect(ticket.fields.priority).toBe('Low');
    expect(ticket.fields).not.toHaveProperty('customer_name');
  });

  const propertyCases: Array<[string, string, Parameters<typeof makeEmail>[0], unknown]> = [
    ['body', 'notes', {}, 'Hello, the printer on floor 3 shows error E42.\n\nAlice'],
    ['body', 'description', { html: '<p>Hi<script>x()</script></p>' }, '<p>Hi</p>'],
    [
      'body',
      'description',
      {},
      '<p>Hello, the printer on floor 3 shows error E42.<br><br>Alice</p>',
    ],
    ['date', 'received', {}, '2025-03-04'],
    ['to', 'notes', {}, 'support@helpdesk.example'],
    ['cc', 'notes', { cc: [] }, null],
    ['message_id', 'customer_name', {}, 'CAF1234@mail.customer.example'],
    [
      'attachments',
      'files',
      { attachments: [attachment({ sha256: 'b'.repeat(64) })] },
      ['b'.repeat(64)],
    ],
    ['subject', 'description', { subject: 'a < b' }, 'a &lt; b'],
  ];
  it.each(propertyCases)('maps %s into %s', (property, fieldKey, overrides, value) => {
    const channel = mapped((m) => {
      m.optionalMappings = [];
      m.propertyMappings = [{ property: property as never, fieldKey }];
    });
    expect(
      ticketOf(decide(makeEmail(overrides), channel, [], withTemplate)).fields[fieldKey],
    ).toEqual(value);
  });

  const attachmentModes: Array<['all' | 'none' | 'non_inline', string[]]> = [
    ['all', ['report.pdf', 'logo.png']],
    ['none', []],
    ['non_inline', ['report.pdf']],
  ];
  it.each(attachmentModes)('keeps attachments by mode %s', (mode, names) => {
    const withFiles = makeEmail({
      html: '<p>Hi <img src="cid:logo@x"></p>',
      attachments: [
        attachment(),
        attachment({
          filename: 'logo.png',
          contentType: 'image/png',
          contentId: 'logo@x',
          inline: true,
        }),
      ],
    });
    const ticket = ticketOf(
      decide(
        withFiles,
        mapped((m) => (m.attachments = mode)),
        [],
        withTemplate,
      ),
    );
    expect(ticket.message.attachments.map((a) => a.filename)).toEqual(names);
    expect(ticket.message.html?.includes('cid:logo@x')).toBe(names.includes('logo.png'));
  });

  it('keeps the body as text only when the channel says so', () => {
    const html = makeEmail({ html: '<b>Hi</b>' });
    expect(
      ticketOf(
        decide(
          html,
          mapped((m) => (m.bodyFormat = 'text')),
          [],
          withTemplate,
        ),
      ).message.html,
    ).toBeNull();
    expect(ticketOf(decide(html, mapped(), [], withTemplate)).message.html).toBe('<b>Hi</b>');
  });

  it('passes the add-the-original-.eml choice on', () => {
    expect(
      ticketOf(
        decide(
          makeEmail(),
          mapped((m) => (m.attachOriginalEml = true)),
          [],
          withTemplate,
        ),
      ).attachOriginalEml,
    ).toBe(true);
  });

  it('quarantines instead of creating a ticket the template would refuse', () => {
    const decision = decide(makeEmail(), mapped(), [], {
      template: { ...template, status: 'draft' },
    });
    expect(decision).toMatchObject({
      kind: 'quarantine',
      code: 'quarantined.mapping_invalid',
      reason:
        'quarantined: the channel\'s ticket mapping is not valid — templateId: the template "IT request" is a draft: publish it before email uses it',
    });
  });
});

describe('decide: parse failures', () => {
  it('quarantines a mail over the size limit, saying the limit', () => {
    expect(
      parseFailureDecision({
        code: 'too_large',
        message: 'x',
        size: 30e6,
        maxBytes: 25 * 1024 * 1024,
      }),
    ).toMatchObject({
      code: 'quarantined.too_large',
      reason:
        "quarantined: too large — the message is over the channel's limit of 25 MB; it was recorded, not read",
    });
  });

  it('quarantines an unreadable mail with the parser’s reason', () => {
    expect(parseFailureDecision({ code: 'unparseable', message: 'the message is empty' })).toEqual({
      kind: 'quarantine',
      code: 'quarantined.unparseable',
      reason: 'quarantined: unreadable — the message is empty',
      error: 'the message is empty',
    });
  });
});

describe('reason codes', () => {
  it('are stable dotted codes, each used by a decision', () => {
    for (const code of reasonCodes)
      expect(code).toMatch(/^(skipped|appended|created|quarantined)\.[a-z_]+$/);
    expect(new Set(reasonCodes).size).toBe(reasonCodes.length);
  });
});
