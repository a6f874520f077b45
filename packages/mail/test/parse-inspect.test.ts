/** The library behind `mailroom inspect`: one JSON-safe line per file, with an optional channel file. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMailroomError } from '@mailroom/domain';
import { describe, expect, it } from 'vitest';
import {
  defaultInspectChannel,
  inspectFiles,
  loadInspectChannel,
  type InspectLine,
} from '../src/inspect/index';

const corpus = fileURLToPath(new URL('./fixtures/corpus/', import.meta.url));
const collect = async (files: string[], options = {}) => {
  const lines: InspectLine[] = [];
  for await (const line of inspectFiles(files, options)) lines.push(line);
  return lines;
};
const temp = mkdtempSync(join(tmpdir(), 'mailroom-inspect-'));
const write = (name: string, content: string) => {
  const path = join(temp, name);
  writeFileSync(path, content.replace(/\n/g, '\r\n'));
  return path;
};

const customerMail = write(
  'customer.eml',
  [
    'From: Alice <alice@customer.example>',
    'To: support@helpdesk.example',
    'Subject: Laptop request',
    'Date: Tue, 4 Mar 2025 10:15:00 +0000',
    'Message-ID: <m1@customer.example>',
    'Content-Type: multipart/mixed; boundary="b"',
    '',
    '--b',
    'Content-Type: text/html; charset=utf-8',
    '',
    '<p onclick="x()">Please send a laptop</p>',
    '--b',
    'Content-Type: application/pdf; name="form.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from('%PDF').toString('base64'),
    '--b--',
    '',
  ].join('\n'),
);

describe('inspectFiles', () => {
  it('describes a mail with the specified fields, the classification and the decision', async () => {
    const [line] = await collect([customerMail]);
    expect(line).toMatchObject({
      file: customerMail,
      messageId: 'm1@customer.example',
      from: { address: 'alice@customer.example', name: 'Alice' },
      to: [{ address: 'support@helpdesk.example', name: '' }],
      cc: [],
      subject: 'Laptop request',
      date: '2025-03-04T10:15:00.000Z',
      html: '<p onclick="x()">Please send a laptop</p>',
      importance: null,
      attachments: [
        {
          filename: 'form.pdf',
          contentType: 'application/pdf',
          size: 4,
          contentId: null,
          inline: false,
          md5: expect.stringMatching(/^[0-9a-f]{32}$/),
          sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      ],
      classification: { kind: 'normal', rule: null },
      decision: { kind: 'create', code: 'created.new_thread' },
    });
    expect(JSON.stringify(line)).not.toContain('"content"');
    expect(line?.decision?.kind === 'create' && line.decision.ticket.message.html).toBe(
      '<p>Please send a laptop</p>',
    );
  });

  it('uses the documented default channel when none is given', () => {
    expect(defaultInspectChannel()).toEqual({
      settings: {
        mailboxId: 'inspect',
        tenantId: 'inspect',
        ownAddresses: [],
        reading: expect.objectContaining({
          allowedSenderDomains: [],
          aliases: [],
          maxMessageBytes: 25 * 1024 * 1024,
          autoReply: {
            excludeClasses: ['auto_reply', 'bounce', 'complaint'],
            keywords: [],
            senderAddresses: [],
          },
        }),
      },
      template: null,
      ownMessageIdDomains: [],
    });
  });

  it('decides with the channel file’s filters, mapping and template', async () => {
    const channel = loadInspectChannel({
      tenantId: 'tenant-1',
      ownAddresses: ['support@helpdesk.example'],
      reading: { allowedSenderDomains: ['partner.example'] },
    });
    const [skipped] = await collect([customerMail], { channel });
    expect(skipped?.decision).toMatchObject({ code: 'skipped.domain_not_allowed' });

    const mapped = loadInspectChannel({
      tenantId: 'tenant-1',
      mapping: {
        templateId: 'tpl-1',
        ticketTypes: { allowed: ['incident'], defaultTypeId: 'incident' },
        propertyMappings: [{ property: 'subject', fieldKey: 'summary' }],
      },
      template: {
        id: 'tpl-1',
        tenantId: 'tenant-1',
        name: 'IT',
        status: 'published',
        fields: [{ key: 'summary', label: 'Summary', type: 'text' }],
      },
    });
    const [created] = await collect([customerMail], { channel: mapped });
    expect(created?.decision).toMatchObject({
      kind: 'create',
      ticket: {
        templateId: 'tpl-1',
        ticketTypeId: 'incident',
        fields: { summary: 'Laptop request' },
      },
    });
  });

  it('quarantines a file over the channel’s size limit without reading it whole', async () => {
    const channel = loadInspectChannel({ reading: { maxMessageBytes: 1024 } });
    const [line] = await collect([join(corpus, 'flanker__mailgun-pic.eml')], { channel });
    expect(line).toMatchObject({
      messageId: null,
      classification: null,
      decision: { kind: 'quarantine', code: 'quarantined.too_large' },
    });
  });

  it('reports a file it cannot read and goes on with the next', async () => {
    const lines = await collect([join(temp, 'missing.eml'), temp, customerMail]);
    expect(lines.map((line) => line.error?.code ?? line.decision?.code)).toEqual([
      'inspect.file_unreadable',
      'inspect.file_unreadable',
      'created.new_thread',
    ]);
    expect(lines[0]?.error?.message).toContain('missing.eml could not be read');
  });
});

describe('loadInspectChannel', () => {
  it('takes the own address from exported mailbox settings and adds the aliases', () => {
    const channel = loadInspectChannel({
      connection: { replyTo: 'Support@Helpdesk.example' },
      reading: { aliases: ['help@helpdesk.example'] },
    });
    expect(channel.settings.ownAddresses).toEqual([
      'support@helpdesk.example',
      'help@helpdesk.example',
    ]);
  });

  it('lists every problem of an invalid channel file by field', () => {
    try {
      loadInspectChannel({
        ownAddresses: 'support@helpdesk.example',
        reading: { allowedSenderDomains: 'customer.example', maxMessageBytes: 5 },
        mapping: { ticketTypes: {} },
      });
      expect.unreachable();
    } catch (error) {
      expect(isMailroomError(error) && error.code).toBe('inspect.channel_invalid');
      const paths = isMailroomError(error) ? error.issues.map((issue) => issue.path) : [];
      expect(paths).toEqual(
        expect.arrayContaining([
          'reading.allowedSenderDomains',
          'reading.maxMessageBytes',
          'mapping.templateId',
          'ownAddresses',
        ]),
      );
    }
  });

  it('refuses a document that is not an object', () => {
    expect(() => loadInspectChannel([1, 2])).toThrow('the channel file must hold a JSON object');
  });
});
