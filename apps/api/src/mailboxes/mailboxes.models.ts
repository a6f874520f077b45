/**
 * Request and response shapes of the mailbox endpoints (pure). Settings are
 * validated by the domain's schemas; secrets are write-only: requests may set
 * or clear them, responses only say which are present (`secretsPresent`).
 */
import { z } from '@hono/zod-openapi';
import {
  connectionPolicySchema,
  connectionSettingsSchema,
  healthStateSchema,
  mailboxSettingsSchema,
  mailboxStatusSchema,
  oauthSettingsSchema,
  readingSettingsSchema,
  ticketMappingSchema,
} from '@mailroom/domain';
import type { Mailbox } from '@mailroom/db';

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
  },
  createdAt: mailbox.createdAt.toISOString(),
  updatedAt: mailbox.updatedAt.toISOString(),
});
