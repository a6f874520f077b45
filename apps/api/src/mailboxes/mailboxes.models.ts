/**
 * Request and response shapes of the mailbox endpoints (pure). Settings are
 * validated by the domain's schemas; secrets are write-only: requests may set
 * or clear them, responses only say which are present (`secretsPresent`).
 */
import { z } from '@hono/zod-openapi';
import {
  connectionPolicySchema,
  ledgerOutcomes,
  connectionSettingsSchema,
  healthStateSchema,
  mailboxSettingsSchema,
  mailboxStatusSchema,
  oauthSettingsSchema,
  readingSettingsSchema,
  ticketMappingSchema,
} from '@mailroom/domain';
import type { LedgerEntry, Mailbox } from '@mailroom/db';

const secretValue = z
  .string()
  .min(1, 'leave the field out instead of sending it empty')
  .max(16_384);

export const createMailboxBodySchema = z
  .object({
    settings: mailboxSettingsSchema,
    secrets: z
      .object({
        password: secretValue.optional(),
        clientSecret: secretValue.optional(),
        refreshToken: secretValue.optional(),
      })
      .optional()
      .openapi({ description: 'Write-only; stored encrypted, never returned.' }),
  })
  .openapi('CreateMailboxRequest');

export const updateMailboxBodySchema = z
  .object({
    settings: z
      .object({
        name: mailboxSettingsSchema.shape.name.optional(),
        connection: connectionSettingsSchema.optional(),
        oauth: oauthSettingsSchema.nullable().optional(),
        policy: connectionPolicySchema.optional(),
        reading: readingSettingsSchema.optional(),
        mapping: ticketMappingSchema.nullable().optional(),
      })
      .optional()
      .openapi({ description: 'Groups to replace whole; `null` removes oauth or mapping.' }),
    secrets: z
      .object({
        password: secretValue.nullable().optional(),
        clientSecret: secretValue.nullable().optional(),
        refreshToken: secretValue.nullable().optional(),
      })
      .optional()
      .openapi({ description: 'Write-only; a string sets, `null` removes, absent keeps.' }),
    expectedVersion: z
      .number()
      .int()
      .min(1)
      .optional()
      .openapi({ description: 'The settingsVersion you edited; a newer one answers 409.' }),
  })
  .openapi('UpdateMailboxRequest');

export type UpdateMailboxBody = z.infer<typeof updateMailboxBodySchema>;

export const mailboxIdParamsSchema = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, format: 'uuid' }),
});

const healthSchema = z.object({
  state: healthStateSchema,
  attempt: z.number().int(),
  maxAttempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastErrorCode: z.string().nullable(),
  lastErrorMessage: z.string().nullable(),
  lastSyncAt: z.string().nullable(),
  counters: z.object({
    seen: z.number().int(),
    created: z.number().int(),
    appended: z.number().int(),
    skipped: z.number().int(),
    quarantined: z.number().int(),
  }),
  progress: z.object({ done: z.number().int(), total: z.number().int() }).nullable(),
  updatedAt: z.string().nullable(),
});

export const mailboxSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: mailboxStatusSchema,
    settings: mailboxSettingsSchema,
    settingsVersion: z.number().int(),
    health: healthSchema,
    secretsPresent: z.object({
      password: z.boolean(),
      clientSecret: z.boolean(),
      refreshToken: z.boolean(),
      msalCache: z.boolean().openapi({
        description: 'A Microsoft sign-in (MSAL token cache) is stored.',
      }),
    }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Mailbox');

export type MailboxView = z.infer<typeof mailboxSchema>;

export const mailboxListSchema = z.object({ items: z.array(mailboxSchema) }).openapi('MailboxList');

/** What a client may see of a mailbox: never a secret, never lease internals. */
export const toMailboxView = (mailbox: Mailbox): MailboxView => ({
  id: mailbox.id,
  name: mailbox.name,
  status: mailbox.status,
  settings: mailbox.settings,
  settingsVersion: mailbox.settingsVersion,
  health: mailbox.health,
  secretsPresent: {
    password: mailbox.secretsPresent.password,
    clientSecret: mailbox.secretsPresent.clientSecret,
    refreshToken: mailbox.secretsPresent.refreshToken,
    msalCache: mailbox.secretsPresent.msalCache,
  },
  createdAt: mailbox.createdAt.toISOString(),
  updatedAt: mailbox.updatedAt.toISOString(),
});

export const ledgerQuerySchema = z.object({
  outcome: z
    .string()
    .optional()
    .openapi({ description: `Comma list of ${ledgerOutcomes.join(', ')}`, example: 'skipped' }),
  cursor: z
    .string()
    .max(200)
    .optional()
    .openapi({ description: "The previous page's nextCursor." }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ledgerEntrySchema = z
  .object({
    id: z.string(),
    folder: z.string(),
    uidValidity: z.string(),
    uid: z.number().int(),
    messageId: z.string().nullable(),
    outcome: z.enum(ledgerOutcomes),
    reasonCode: z.string(),
    reasonDetail: z.string().openapi({ description: 'The sentence an admin reads.' }),
    error: z.string().nullable(),
    ticketId: z.string().nullable(),
    fromAddress: z.string().nullable(),
    subject: z.string().nullable(),
    size: z.number().int().nullable(),
    postAction: z.string(),
    postActionState: z.string(),
    postActionError: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi('LedgerEntry');

export const ledgerPageSchema = z
  .object({
    items: z.array(ledgerEntrySchema),
    total: z.number().int(),
    nextCursor: z.string().nullable(),
  })
  .openapi('LedgerPage');

export const toLedgerEntryView = (entry: LedgerEntry): z.infer<typeof ledgerEntrySchema> => ({
  id: entry.id,
  folder: entry.folder,
  uidValidity: entry.uidValidity.toString(),
  uid: entry.uid,
  messageId: entry.messageId,
  outcome: entry.outcome,
  reasonCode: entry.reasonCode,
  reasonDetail: entry.reasonDetail,
  error: entry.error,
  ticketId: entry.ticketId,
  fromAddress: entry.fromAddress,
  subject: entry.subject,
  size: entry.size,
  postAction: entry.postAction,
  postActionState: entry.postActionState,
  postActionError: entry.postActionError,
  createdAt: entry.createdAt.toISOString(),
});

/** Outcomes from `a,b`; null when one is unknown. */
export const parseOutcomes = (
  text: string | undefined,
): Array<(typeof ledgerOutcomes)[number]> | null => {
  if (text === undefined || text.trim() === '') return [];
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const known = new Set<string>(ledgerOutcomes);
  return parts.every((part) => known.has(part))
    ? (parts as Array<(typeof ledgerOutcomes)[number]>)
    : null;
};

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The cursor is opaque to clients; it carries the id of the last entry of the
 * previous page, and the database continues strictly after it (keyset paging),
 * so mail ingested while an admin pages neither repeats nor hides an entry.
 */
export const encodeCursor = (entryId: string): string =>
  Buffer.from(JSON.stringify({ k: entryId })).toString('base64url');

/** `{ entryId: null }` for the first page, the entry to continue after, or null when malformed. */
export const decodeCursor = (cursor: string | undefined): { entryId: string | null } | null => {
  if (cursor === undefined || cursor === '') return { entryId: null };
  try {
    const value = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { k?: unknown })
      .k;
    return typeof value === 'string' && uuidPattern.test(value) ? { entryId: value } : null;
  } catch {
    return null;
  }
};
