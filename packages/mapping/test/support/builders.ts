/** Builders for ParsedEmail, channel settings and templates, so each test states only what matters to it. */
import {
  readingSettingsSchema,
  ticketMappingSchema,
  type ChannelSettings,
  type ParsedAttachment,
  type ParsedEmail,
  type TicketTemplate,
} from '@mailroom/domain';

export type HeaderPair = [name: string, value: string];

export const makeEmail = (
  overrides: Partial<ParsedEmail> = {},
  headers: HeaderPair[] = [],
): ParsedEmail => ({
  messageId: 'CAF1234@mail.customer.example',
  messageIdDerived: false,
  inReplyTo: [],
  references: [],
  from: { address: 'alice@customer.example', name: 'Alice Example' },
  sender: null,
  replyTo: [],
  to: [{ address: 'support@helpdesk.example', name: 'Support' }],
  cc: [],
  deliveredTo: ['support@helpdesk.example'],
  returnPath: 'alice@customer.example',
  subject: 'Printer on floor 3 is broken',
  date: '2025-03-04T09:15:00.000Z',
  text: 'Hello, the printer on floor 3 shows error E42.\n\nAlice',
  html: null,
  importance: null,
  attachments: [],
  headers: headers.map(([name, value]) => ({ name: name.toLowerCase(), value })),
  contentType: 'text/plain; charset=utf-8',
  size: 1200,
  warnings: [],
  ...overrides,
});

export const attachment = (overrides: Partial<ParsedAttachment> = {}): ParsedAttachment => {
  const content = overrides.content ?? new TextEncoder().encode('file content');
  return {
    filename: 'report.pdf',
    contentType: 'application/pdf',
    size: content.length,
    contentId: null,
    inline: false,
    md5: 'd41d8cd98f00b204e9800998ecf8427e',
    sha256: 'a'.repeat(64),
    isMessage: false,
    ...overrides,
    content,
  };
};

/** A report part (message/delivery-status, message/feedback-report, ...) with the given text. */
export const reportPart = (contentType: string, text: string): ParsedAttachment =>
  attachment({ filename: 'details.txt', contentType, content: new TextEncoder().encode(text) });

export const makeChannel = (
  reading: Record<string, unknown> = {},
  overrides: Partial<ChannelSettings> = {},
): ChannelSettings => ({
  mailboxId: 'mbx-1',
  tenantId: 'tenant-1',
  ownAddresses: ['support@helpdesk.example'],
  reading: readingSettingsSchema.parse(reading),
  ...overrides,
});

export const template: TicketTemplate = {
  id: 'tpl-1',
  tenantId: 'tenant-1',
  name: 'IT request',
  status: 'published',
  fields: [
    {
      key: 'priority',
      label: 'Priority',
      type: 'select',
      required: true,
      options: ['High', 'Medium', 'Low'],
    },
    { key: 'summary', label: 'Summary', type: 'text', required: false },
    { key: 'description', label: 'Description', type: 'html', required: false },
    { key: 'notes', label: 'Notes', type: 'textarea', required: false },
    { key: 'customer_email', label: 'Customer email', type: 'email', required: false },
    { key: 'customer_name', label: 'Customer name', type: 'text', required: false },
    { key: 'received', label: 'Received', type: 'date', required: false },
    { key: 'amount', label: 'Amount', type: 'number', required: false },
    { key: 'vip', label: 'VIP', type: 'boolean', required: false },
    {
      key: 'tags',
      label: 'Tags',
      type: 'multiselect',
      required: false,
      options: ['printer', 'network'],
    },
    { key: 'files', label: 'Files', type: 'attachments', required: false },
    { key: 'site', label: 'Site', type: 'select', required: true, options: ['Berlin', 'Paris'] },
  ],
};

export const ticketTypes = [
  { id: 'type-incident', tenantId: 'tenant-1', name: 'Incident' },
  { id: 'type-request', tenantId: 'tenant-1', name: 'Request' },
  { id: 'type-other-tenant', tenantId: 'tenant-2', name: 'Elsewhere' },
];
export const offers = [{ id: 'offer-basic', tenantId: 'tenant-1', name: 'Basic' }];

/** A mapping that validates against `template`. */
export const validMappingInput = () => ({
  templateId: 'tpl-1',
  ticketTypes: {
    allowed: ['type-incident', 'type-request'],
    defaultTypeId: 'type-incident',
    rules: [{ subjectContains: 'request', ticketTypeId: 'type-request' }],
  },
  defaultOfferId: 'offer-basic',
  customFields: [
    { fieldKey: 'priority', defaultValue: 'Medium', restrictedToRoles: [] },
    { fieldKey: 'site', defaultValue: 'Berlin', restrictedToRoles: ['admin'] },
  ],
  propertyMappings: [
    { property: 'subject', fieldKey: 'summary' },
    { property: 'importance', fieldKey: 'priority' },
    { property: 'sender_address', fieldKey: 'customer_email' },
  ],
  optionalMappings: [{ property: 'sender_name', fieldKey: 'customer_name' }],
});

export const validMapping = () => ticketMappingSchema.parse(validMappingInput());
