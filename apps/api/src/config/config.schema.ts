/**
 * The API process's configuration, as one documented zod schema over the
 * environment variables it reads (docs/configuration.md is the reference).
 * Validation collects every bad variable; production refuses placeholder
 * secrets here, and the secret key file is handled by ./secret-key.ts.
 */
import { z } from 'zod';
import { decodeSecretKey, isPlaceholderSecret, secretKeyFormatMessage } from './secret-key';

export const environments = ['development', 'test', 'production'] as const;
export type Environment = (typeof environments)[number];

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be a whole number between ${min} and ${max}`);

const isPostgresUrl = (value: string): boolean => {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/** Variables whose value is secret: each also accepts `NAME_FILE`, and none is ever echoed. */
export const apiSecretVariables = [
  'DATABASE_URL',
  'MAILROOM_SECRET_KEY',
  'MAILROOM_ADMIN_PASSWORD',
] as const;

export const apiEnvSchema = z.object({
  /** Node's convention; `production` here also means a production start. */
  NODE_ENV: z.string().optional(),
  /** development | test | production; wins over NODE_ENV for Mailroom's own behaviour. */
  MAILROOM_ENV: z
    .enum(environments, { error: 'must be development, test or production' })
    .optional(),
  /** Data folder: embedded database, generated secret key, attachment blobs. */
  MAILROOM_DATA_DIR: z.string().default('./.data'),
  /** PostgreSQL URL; absent means the embedded PGlite database in the data folder. */
  DATABASE_URL: z
    .string()
    .refine(isPostgresUrl, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** 32 bytes (hex or base64) that encrypt mailbox secrets at rest. */
  MAILROOM_SECRET_KEY: z
    .string()
    .refine((value) => decodeSecretKey(value) !== null, secretKeyFormatMessage)
    .optional(),
  /** Interface the HTTP server binds. */
  MAILROOM_HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** Port the HTTP server binds; 0 picks a free one. */
  MAILROOM_PORT: wholeNumber(0, 65535).default(3000),
  /** The address users reach Mailroom at (behind a proxy); `https:` makes cookies Secure. */
  MAILROOM_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .optional(),
  MAILROOM_LOG_LEVEL: z
    .enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` })
    .default('info'),
  /** First admin, created only when no user exists yet. */
  MAILROOM_ADMIN_EMAIL: z.email('must be an email address').optional(),
  MAILROOM_ADMIN_PASSWORD: z
    .string()
    .min(12, 'must be at least 12 characters')
    .max(256, 'must be at most 256 characters')
    .optional(),
  MAILROOM_ADMIN_NAME: z.string().trim().min(1).max(200).default('Administrator'),
  /** The built admin app; defaults to apps/admin/dist in this repository. */
  MAILROOM_ADMIN_DIST_DIR: z.string().optional(),
  /** How long a sign-in lasts. */
  MAILROOM_SESSION_TTL_HOURS: wholeNumber(1, 720).default(12),
});

export type ApiEnv = z.infer<typeof apiEnvSchema>;
export const apiVariables = Object.keys(apiEnvSchema.shape);

export const isProductionEnv = (env: Pick<ApiEnv, 'NODE_ENV' | 'MAILROOM_ENV'>): boolean =>
  env.MAILROOM_ENV === 'production' || env.NODE_ENV === 'production';

/** Cross-field rules: pairs that belong together, and production's refusal of placeholders. */
export const apiConfigSchema = apiEnvSchema.superRefine((env, ctx) => {
  if (env.MAILROOM_ADMIN_PASSWORD !== undefined && env.MAILROOM_ADMIN_EMAIL === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['MAILROOM_ADMIN_EMAIL'],
      message: 'is required when MAILROOM_ADMIN_PASSWORD is set',
    });
  }
  if (!isProductionEnv(env)) return;
  for (const name of apiSecretVariables) {
    const value = env[name];
    if (value !== undefined && isPlaceholderSecret(placeholderProbe(name, value))) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: 'looks like a placeholder or example value; a production start refuses it',
      });
    }
  }
});

/** For a database URL only the password can be a placeholder. */
export function placeholderProbe(name: string, value: string): string {
  if (name !== 'DATABASE_URL') return value;
  try {
    return decodeURIComponent(new URL(value).password);
  } catch {
    return value;
  }
}
