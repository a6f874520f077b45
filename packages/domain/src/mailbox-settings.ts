/**
 * Every setting of an Email Channel (mailbox), as the admin edits it. Secrets
 * (password, OAuth client secret, refresh token) are NOT part of these shapes:
 * they are write-only, stored encrypted apart from the settings, and only their
 * presence is ever reported back (`secretsPresent`).
 */
import { z } from 'zod';
import { importanceSchema } from './ticket';

export const tlsModes = ['implicit', 'starttls', 'none'] as const;
export const tlsModeSchema = z.enum(tlsModes);
export type TlsMode = z.infer<typeof tlsModeSchema>;

export const authTypes = ['password', 'oauth2'] as const;
export const authTypeSchema = z.enum(authTypes);
export type AuthType = z.infer<typeof authTypeSchema>;

/** How the admin supplies Microsoft credentials. */
export const oauthFlows = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export const oauthFlowSchema = z.enum(oauthFlows);
export type OAuthFlow = z.infer<typeof oauthFlowSchema>;

const hostSchema = z
  .string()
  .trim()
  .min(1, 'enter the IMAP server host name or IP address')
  .max(253)
  .regex(/^[^\s/:]+$|^\[[0-9a-fA-F:.]+\]$|^[0-9a-fA-F:]+$/, 'enter a host name, not a URL');

const emailAddressSchema = z.email('enter a valid email address');

export const connectionSettingsSchema = z.object({
  protocol: z.literal('imap').default('imap'),
  host: hostSchema,
  port: z.number().int().min(1).max(65535),
  tls: tlsModeSchema,
  username: z.string().trim().min(1, 'enter the mailbox login name'),
  /** Address replies go out from and customers write to. */
  replyTo: emailAddressSchema,
  authType: authTypeSchema,
  /** Trust this PEM certificate (or CA) for this mailbox only; never a global switch. */
  trustedCertificatePem: z.string().max(20000).optional(),
  /** Accept a self-signed certificate for this mailbox only. */
  trustSelfSigned: z.boolean().default(false),
  /** Bounds every phase a user waits on: TCP, TLS, greeting, login. */
  connectionTimeoutMs: z.number().int().min(500).max(120000).default(15000),
});
export type ConnectionSettings = z.infer<typeof connectionSettingsSchema>;

export const oauthSettingsSchema = z.object({
  flow: oauthFlowSchema,
  /** Directory (tenant) id, or `common` / `organizations` for multi-tenant apps. */
  tenantId: z.string().trim().min(1, 'enter the directory (tenant) id'),
  clientId: z.string().trim().min(1, 'enter the application (client) id'),
  redirectUrl: z.url().optional(),
  scope: z.string().trim().min(1).default('https://outlook.office365.com/.default'),
  /** Token endpoint; defaults to the global Microsoft cloud for the tenant. */
  tokenEndpoint: z.url().optional(),
});
export type OAuthSettings = z.infer<typeof oauthSettingsSchema>;

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM (24-hour)');

export const skipWindowSchema = z.object({
  /** Inclusive start, HH:MM in the mailbox's time zone. */
  start: timeOfDay,
  /** Exclusive end; an end before the start crosses midnight. */
  end: timeOfDay,
});
export type SkipWindow = z.infer<typeof skipWindowSchema>;

export const connectionPolicySchema = z.object({
  /** Consecutive failed attempts before the mailbox is marked failed. */
  maxTries: z.number().int().min(1).max(100).default(5),
  /** After failing, wait this long before one new round of tries. */
  coolOffMinutes: z.number().min(0).max(10080).default(15),
  skipWindows: z.array(skipWindowSchema).max(24).default([]),
  timeZone: z
    .string()
    .default('UTC')
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'unknown time zone'),
  /** First sync reads mail from this date on (INTERNALDATE); later syncs go by UID. */
  syncStartDate: z.iso.date().optional(),
  /** Poll interval for folders without IDLE. */
  pollIntervalSeconds: z.number().int().min(5).max(3600).default(60),
});
export type ConnectionPolicy = z.infer<typeof connectionPolicySchema>;

export const postActions = ['leave', 'mark_seen', 'move'] as const;
export const postActionSchema = z.enum(postActions);
export type PostAction = z.infer<typeof postActionSchema>;

export const folderMappingSchema = z.object({
  /** Folders to read; the first is the primary folder watched by IDLE. */
  read: z.array(z.string().min(1)).min(1, 'choose at least one folder to read').default(['INBOX']),
  postAction: postActionSchema.default('mark_seen'),
  /** With postAction `move`: where mail goes by outcome. */
  successFolder: z.string().min(1).optional(),
  failFolder: z.string().min(1).optional(),
  exclusionFolder: z.string().min(1).optional(),
});
export type FolderMapping = z.infer<typeof folderMappingSchema>;

export const mailClasses = ['normal', 'auto_reply', 'bounce', 'bulk', 'complaint'] as const;
export const mailClassSchema = z.enum(mailClasses);
export type MailClass = z.infer<typeof mailClassSchema>;

export const autoReplyExclusionSchema = z.object({
  /** Built-in classes that are not turned into tickets. */
  excludeClasses: z
    .array(mailClassSchema.exclude(['normal']))
    .default(['auto_reply', 'bounce', 'complaint']),
  /** Extra subject keywords that mark a mail as an auto-reply (case-insensitive). */
  keywords: z.array(z.string().trim().min(1)).default([]),
  /** Sender addresses whose mail is always excluded. */
  senderAddresses: z.array(emailAddressSchema).default([]),
});
export type AutoReplyExclusion = z.infer<typeof autoReplyExclusionSchema>;

export const readingSettingsSchema = z.object({
  folders: folderMappingSchema.default({ read: ['INBOX'], postAction: 'mark_seen' }),
  /** Empty means every sender domain is allowed. Matches exactly or as a subdomain. */
  allowedSenderDomains: z.array(z.string().trim().min(1)).default([]),
  autoReply: autoReplyExclusionSchema.default({
    excludeClasses: ['auto_reply', 'bounce', 'complaint'],
    keywords: [],
    senderAddresses: [],
  }),
  /** Other addresses that deliver into this mailbox and mean the primary address. */
  aliases: z.array(emailAddressSchema).default([]),
  /** Mails larger than this are recorded, not fetched whole. */
  maxMessageBytes: z
    .number()
    .int()
    .min(1024)
    .max(200 * 1024 * 1024)
    .default(25 * 1024 * 1024),
  /**
   * Tenant-wide Message-ID dedupe: a mail whose Message-ID another mailbox of the tenant already
   * turned into a ticket message (the same mail sent to support@ and sales@) is recorded as
   * `skipped.duplicate` instead of becoming a second ticket. Off: only this mailbox is checked.
   */
  dedupeAcrossMailboxes: z.boolean().default(false),
});
export type ReadingSettings = z.infer<typeof readingSettingsSchema>;

export const attachmentModes = ['all', 'none', 'non_inline'] as const;
export const attachmentModeSchema = z.enum(attachmentModes);
export type AttachmentMode = z.infer<typeof attachmentModeSchema>;

export const bodyFormats = ['text', 'html'] as const;
export const bodyFormatSchema = z.enum(bodyFormats);

export const customFieldMappingSchema = z.object({
  fieldKey: z.string().min(1),
  /** Typed by the template field; validated against its type and options. */
  defaultValue: z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]),
  /** Only agents with one of these roles may change the value afterwards (empty: anyone). */
  restrictedToRoles: z.array(z.string().min(1)).default([]),
});
export type CustomFieldMapping = z.infer<typeof customFieldMappingSchema>;

export const emailProperties = [
  'subject',
  'body',
  'sender_address',
  'sender_name',
  'importance',
  'attachments',
  'to',
  'cc',
  'date',
  'message_id',
] as const;
export const emailPropertySchema = z.enum(emailProperties);
export type EmailProperty = z.infer<typeof emailPropertySchema>;

export const propertyMappingSchema = z.object({
  property: emailPropertySchema,
  fieldKey: z.string().min(1),
});
export type PropertyMapping = z.infer<typeof propertyMappingSchema>;

export const typeRuleSchema = z.object({
  /** Case-insensitive keyword looked for in the subject. */
  subjectContains: z.string().trim().min(1),
  ticketTypeId: z.string().min(1),
});
export type TypeRule = z.infer<typeof typeRuleSchema>;

export const ticketMappingSchema = z.object({
  templateId: z.string().min(1, 'choose a published ticket template'),
  ticketTypes: z.object({
    allowed: z.array(z.string().min(1)).min(1, 'whitelist at least one ticket type'),
    defaultTypeId: z.string().min(1),
    rules: z.array(typeRuleSchema).default([]),
  }),
  defaultOfferId: z.string().min(1).optional(),
  /** Values for the template's fields that email does not fill (all required ones at least). */
  customFields: z.array(customFieldMappingSchema).default([]),
  /** Email property -> template field. Subject and body always also fill the ticket itself. */
  propertyMappings: z.array(propertyMappingSchema).default([]),
  attachments: attachmentModeSchema.default('non_inline'),
  bodyFormat: bodyFormatSchema.default('html'),
  /** Attach the original message as an .eml file. */
  attachOriginalEml: z.boolean().default(false),
  /** Mappings applied only when the email has the property. */
  optionalMappings: z.array(propertyMappingSchema).default([]),
  /** Importance when the email says nothing. */
  defaultImportance: importanceSchema.default('medium'),
});
export type TicketMapping = z.infer<typeof ticketMappingSchema>;

export const mailboxStatuses = ['draft', 'active', 'paused'] as const;
export const mailboxStatusSchema = z.enum(mailboxStatuses);
export type MailboxStatus = z.infer<typeof mailboxStatusSchema>;

/** The full, validated settings of a mailbox, without secrets. */
export const mailboxSettingsSchema = z.object({
  name: z.string().trim().min(1).max(200),
  connection: connectionSettingsSchema,
  oauth: oauthSettingsSchema.optional(),
  policy: connectionPolicySchema,
  reading: readingSettingsSchema,
  mapping: ticketMappingSchema.optional(),
});
export type MailboxSettings = z.infer<typeof mailboxSettingsSchema>;
/** What callers may pass before defaults are applied (e.g. an API body or a test fixture). */
export type MailboxSettingsInput = z.input<typeof mailboxSettingsSchema>;

/** Write-only secrets. Stored encrypted; never returned. */
export const mailboxSecretsSchema = z.object({
  password: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  refreshToken: z.string().min(1).optional(),
});
export type MailboxSecrets = z.infer<typeof mailboxSecretsSchema>;
export type SecretName = keyof MailboxSecrets;

/** The channel settings the pure decision step needs (a view of MailboxSettings). */
export interface ChannelSettings {
  mailboxId: string;
  tenantId: string;
  /** The primary address and the aliases, lower-cased. */
  ownAddresses: string[];
  reading: ReadingSettings;
  mapping?: TicketMapping;
}
