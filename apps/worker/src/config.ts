/**
 * The worker process's configuration: one documented zod schema over the
 * environment variables it reads (docs/configuration.md is the reference),
 * validated at start-up into a typed object. Every bad variable is reported
 * at once; secrets also accept `NAME_FILE`; production refuses placeholder
 * secrets and never generates a key.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import {
  SecretKeyError,
  decodeSecretKey,
  isPlaceholderSecret,
  resolveSecretKey,
  secretKeyFormatMessage,
} from './secret-key';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];
const environments = ['development', 'test', 'production'] as const;

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

export const workerSecretVariables = ['DATABASE_URL', 'MAILROOM_SECRET_KEY'] as const;

export const workerEnvSchema = z
  .object({
    NODE_ENV: z.string().optional(),
    /** development | test | production; production refuses placeholders and never generates a key. */
    MAILROOM_ENV: z
      .enum(environments, { error: 'must be development, test or production' })
      .optional(),
    /** Data folder of the embedded database and its generated secret key. */
    MAILROOM_DATA_DIR: z.string().default('./.data'),
    /** PostgreSQL URL shared with the API; absent means embedded PGlite in the data folder. */
    DATABASE_URL: z
      .string()
      .refine(isPostgresUrl, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    /** The same 32-byte key as the API's (hex or base64). */
    MAILROOM_SECRET_KEY: z
      .string()
      .refine((value) => decodeSecretKey(value) !== null, secretKeyFormatMessage)
      .optional(),
    MAILROOM_LOG_LEVEL: z
      .enum(logLevels, { error: `must be one of ${logLevels.join(', ')}` })
      .default('info'),
    /** Names this worker in leases and logs; unique per running worker. */
    MAILROOM_WORKER_ID: z
      .string()
      .trim()
      .regex(
        /^[A-Za-z0-9._:-]{1,100}$/,
        'use 1-100 letters, digits, dots, dashes, colons or underscores',
      )
      .optional(),
    /** Interface and port of GET /healthz, /readyz and /metrics. */
    MAILROOM_WORKER_HEALTH_HOST: z.string().trim().min(1).default('127.0.0.1'),
    MAILROOM_WORKER_HEALTH_PORT: wholeNumber(0, 65535).default(3001),
    /** After SIGTERM, give up waiting for a clean stop after this long and exit 1. */
    MAILROOM_WORKER_SHUTDOWN_TIMEOUT_SECONDS: wholeNumber(1, 600).default(15),
  })
  .superRefine((env, ctx) => {
    const production = env.MAILROOM_ENV === 'production' || env.NODE_ENV === 'production';
    if (!production) return;
    for (const name of workerSecretVariables) {
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

function placeholderProbe(name: string, value: string): string {
  if (name !== 'DATABASE_URL') return value;
  try {
    return decodeURIComponent(new URL(value).password);
  } catch {
    return value;
  }
}

export interface WorkerConfig {
  production: boolean;
  workerId: string;
  dataDir: string;
  /** null: embedded PGlite in `dataDir`. */
  databaseUrl: string | null;
  secretKey: Buffer;
  logLevel: LogLevel;
  health: { host: string; port: number };
  shutdownTimeoutMs: number;
}

export interface ConfigIssue {
  variable: string;
  message: string;
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    const noun = issues.length === 1 ? 'problem' : 'problems';
    const lines = issues.map((issue) => `  - ${issue.variable}: ${issue.message}`);
    super(`Invalid configuration (${issues.length} ${noun}):\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Reads variables (and `NAME_FILE` for secrets); empty strings count as unset. */
function readRawEnv(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): { values: Record<string, string>; issues: ConfigIssue[] } {
  const values: Record<string, string> = {};
  const issues: ConfigIssue[] = [];
  for (const name of Object.keys(workerEnvSchema.shape)) {
    const value = env[name];
    if (value !== undefined && value !== '') values[name] = value;
  }
  for (const name of workerSecretVariables) {
    const fileName = `${name}_FILE`;
    const path = env[fileName];
    if (path === undefined || path === '') continue;
    if (values[name] !== undefined) {
      issues.push({ variable: name, message: `set either ${name} or ${fileName}, not both` });
      continue;
    }
    try {
      const content = readFileSync(resolve(cwd, path), 'utf8').replace(/\r?\n$/, '');
      if (content === '') issues.push({ variable: fileName, message: `file ${path} is empty` });
      else values[name] = content;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      issues.push({ variable: fileName, message: `cannot read file ${path} (${code})` });
    }
  }
  return { values, issues };
}

/**
 * Validates the environment and resolves the secret key (which may write
 * `<dataDir>/secret.key` in embedded, non-production mode). Throws ConfigError.
 */
export function loadWorkerConfig(
  env: Readonly<Record<string, string | undefined>>,
  options: { cwd: string; pid: number },
): WorkerConfig {
  const raw = readRawEnv(env, options.cwd);
  const parsed = workerEnvSchema.safeParse(raw.values);
  const issues = [...raw.issues];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push({ variable: String(issue.path[0] ?? 'environment'), message: issue.message });
    }
  }
  if (issues.length > 0 || !parsed.success) throw new ConfigError(issues);

  const values = parsed.data;
  const production = values.MAILROOM_ENV === 'production' || values.NODE_ENV === 'production';
  const dataDir = resolve(options.cwd, values.MAILROOM_DATA_DIR);
  const databaseUrl = values.DATABASE_URL ?? null;
  let secretKey: Buffer;
  try {
    secretKey = resolveSecretKey({
      fromEnvironment: values.MAILROOM_SECRET_KEY
        ? decodeSecretKey(values.MAILROOM_SECRET_KEY)
        : null,
      dataDir,
      embedded: databaseUrl === null,
      production,
    });
  } catch (error) {
    if (error instanceof SecretKeyError) {
      throw new ConfigError([{ variable: 'MAILROOM_SECRET_KEY', message: error.message }]);
    }
    throw error;
  }
  return {
    production,
    workerId: values.MAILROOM_WORKER_ID ?? `${hostname()}-${options.pid}`,
    dataDir,
    databaseUrl,
    secretKey,
    logLevel: values.MAILROOM_LOG_LEVEL,
    health: { host: values.MAILROOM_WORKER_HEALTH_HOST, port: values.MAILROOM_WORKER_HEALTH_PORT },
    shutdownTimeoutMs: values.MAILROOM_WORKER_SHUTDOWN_TIMEOUT_SECONDS * 1000,
  };
}
