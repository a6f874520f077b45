/** Builders for test data; every test makes its own tenant so tests sharing a database never collide. */
import { createHash, randomBytes } from 'node:crypto';
import type {
  MailboxSettingsInput,
  MessageDraft,
  ParsedAttachment,
  TicketDraft,
} from '@mailroom/domain';
import { createTenantsRepository, type Db, type Tenant } from '../src/index';

export const uniqueSlug = (prefix = 't'): string => `${prefix}-${randomBytes(5).toString('hex')}`;

export const makeTenant = (db: Db, name = 'Acme Support'): Promise<Tenant> =>
  createTenantsRepository({ db }).create({ slug: uniqueSlug(), name });

export const mailboxSettings = (
  overrides: Partial<MailboxSettingsInput> = {},
): MailboxSettingsInput => ({
  name: 'Support inbox',
  connection: {
    host: 'imap.example.com',
    port: 993,
    tls: 'implicit',
    username: 'support@example.com',
    replyTo: 'support@example.com',
    authType: 'password',
  },
  policy: {},
  reading: {},
  ...overrides,
});

export const parsedAttachment = (
  content: string,
  overrides: Partial<ParsedAttachment> = {},
): ParsedAttachment => {
  const bytes = new TextEncoder().encode(content);
  return {
    filename: 'notes.txt',
    contentType: 'text/plain',
    size: bytes.byteLength,
    contentId: null,
    inline: false,
    md5: createHash('md5').update(bytes).digest('hex'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    content: bytes,
    isMessage: false,
    ...overrides,
  };
};

export const messageDraft = (overrides: Partial<MessageDraft> = {}): MessageDraft => ({
  messageId: `${randomBytes(6).toString('hex')}@customer.example`,
  inReplyTo: [],
  references: [],
  from: { address: 'ada@customer.example', name: 'Ada Lovelace' },
  to: [{ address: 'support@example.com', name: 'Support' }],
  cc: [],
  subject: 'Printer on fire',
  text: 'It is on fire again.',
  html: '<p>It is on fire again.</p>',
  sentAt: '2024-05-01T10:00:00.000Z',
  attachments: [],
  ...overrides,
});

export const ticketDraft = (
  ids: { tenantId: string; mailboxId: string },
  overrides: Partial<TicketDraft> = {},
): TicketDraft => ({
  tenantId: ids.tenantId,
  mailboxId: ids.mailboxId,
  templateId: null,
  ticketTypeId: null,
  offerId: null,
  subject: 'Printer on fire',
  importance: 'high',
  requester: { address: 'ada@customer.example', name: 'Ada Lovelace' },
  fields: { description: 'It is on fire again.' },
  restrictedFields: {},
  message: messageDraft(),
  attachOriginalEml: false,
  ...overrides,
});

export const normalClassification = { kind: 'normal' as const, rule: null, evidence: null };

/** For `rejects.toSatisfy`: a MailroomError (or anything) carrying this stable code. */
export const hasCode =
  (code: string) =>
  (error: unknown): boolean =>
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
