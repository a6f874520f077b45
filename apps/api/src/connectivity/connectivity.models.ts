/**
 * Request and response shapes of Test Connection and the folder list (pure). Settings are
 * the domain's schemas; secrets are write-only inputs. The report mirrors
 * @mailroom/mail's TestConnectionReport, which never carries a secret.
 */
import { z } from '@hono/zod-openapi';
import { connectionSettingsSchema, oauthSettingsSchema } from '@mailroom/domain';

const secretValue = z
  .string()
  .min(1, 'leave the field out instead of sending it empty')
  .max(16_384);

const secretsSchema = z
  .object({
    password: secretValue.optional(),
    clientSecret: secretValue.optional(),
    refreshToken: secretValue.optional(),
  })
  .openapi({ description: 'Write-only; used for this test only, never stored or returned.' });

export const testUnsavedBodySchema = z
  .object({
    connection: connectionSettingsSchema,
    oauth: oauthSettingsSchema.optional(),
    secrets: secretsSchema.default({}),
  })
  .openapi('TestConnectionRequest');

export const testSavedBodySchema = z
  .object({
    connection: connectionSettingsSchema.optional(),
    oauth: oauthSettingsSchema.optional(),
    secrets: secretsSchema.optional(),
  })
  .openapi('TestSavedConnectionRequest', {
    description: 'Overrides of the saved mailbox; stored values are used for what is left out.',
  });

export type TestSecrets = z.infer<typeof secretsSchema>;

export const folderSchema = z
  .object({
    path: z.string(),
    name: z.string(),
    delimiter: z.string(),
    specialUse: z
      .string()
      .nullable()
      .openapi({ description: '`\\Sent`, `\\Trash`, `\\Junk`, … or null' }),
    flags: z.array(z.string()),
    selectable: z.boolean(),
    messages: z.number().int().nullable(),
  })
  .openapi('Folder');

export const folderListSchema = z.object({ items: z.array(folderSchema) }).openapi('FolderList');

export const testConnectionReportSchema = z
  .object({
    ok: z.boolean(),
    steps: z.array(
      z.object({
        name: z.string().openapi({
          description:
            'resolve, token, connect, tls, greeting, authenticate, list_folders or configure',
        }),
        ok: z.boolean(),
        ms: z.number(),
        detail: z.string(),
      }),
    ),
    capabilities: z.record(z.string(), z.boolean()).openapi({
      description: 'IDLE, CONDSTORE, UIDPLUS, MOVE, SPECIAL-USE',
    }),
    folders: z.array(folderSchema),
    tls: z
      .object({
        protocol: z.string().nullable(),
        cipher: z.string().nullable(),
        trustedBy: z.enum(['ca', 'self_signed']),
      })
      .nullable(),
    greeting: z.string().nullable(),
    totalMs: z.number(),
    error: z
      .object({
        code: z.string().openapi({ example: 'mail.auth_failed' }),
        message: z.string(),
        phase: z.string(),
      })
      .optional(),
  })
  .openapi('TestConnectionReport');
