/**
 * Turns an environment object into the API's typed config, or throws one
 * ConfigError listing every bad variable. Callers pass the environment in
 * (the CLI hands over process.env), so tests never touch the real one.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, type ConfigIssue } from './config-error';
import {
  apiConfigSchema,
  apiSecretVariables,
  apiVariables,
  environments,
  isProductionEnv,
  type Environment,
  type LogLevel,
} from './config.schema';
import { readRawEnv } from './env-source';
import { decodeSecretKey, resolveSecretKey, type ResolvedSecretKey } from './secret-key';

export interface FirstAdminConfig {
  email: string | null;
  password: string | null;
  name: string;
}

export interface ApiConfig {
  environment: Environment;
  production: boolean;
  dataDir: string;
  /** null: embedded PGlite in `dataDir`. */
  databaseUrl: string | null;
  /** From MAILROOM_SECRET_KEY(_FILE); the data-folder key is resolved by `loadSecretKey`. */
  secretKeyFromEnvironment: Buffer | null;
  http: { host: string; port: number; publicUrl: string | null };
  logLevel: LogLevel;
  firstAdmin: FirstAdminConfig;
  adminDistDir: string;
  sessionTtlMs: number;
}

export interface LoadConfigOptions {
  /** Relative paths (data folder, _FILE paths) resolve against this. */
  cwd: string;
}

const defaultAdminDistDir = (): string =>
  resolve(dirname(fileURLToPath(import.meta.url)), '../../../admin/dist');

export function loadApiConfig(
  env: Readonly<Record<string, string | undefined>>,
  options: LoadConfigOptions,
): ApiConfig {
  const raw = readRawEnv(env, apiVariables, apiSecretVariables, options.cwd);
  const parsed = apiConfigSchema.safeParse(raw.values);
  const issues: ConfigIssue[] = [...raw.issues];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      issues.push({ variable: String(issue.path[0] ?? 'environment'), message: issue.message });
    }
  }
  if (issues.length > 0 || !parsed.success) throw new ConfigError(dedupe(issues));

  const values = parsed.data;
  const production = isProductionEnv(values);
  const nodeEnv = environments.find((name) => name === values.NODE_ENV);
  return {
    environment: values.MAILROOM_ENV ?? (production ? 'production' : (nodeEnv ?? 'development')),
    production,
    dataDir: resolve(options.cwd, values.MAILROOM_DATA_DIR),
    databaseUrl: values.DATABASE_URL ?? null,
    secretKeyFromEnvironment: values.MAILROOM_SECRET_KEY
      ? decodeSecretKey(values.MAILROOM_SECRET_KEY)
      : null,
    http: {
      host: values.MAILROOM_HOST,
      port: values.MAILROOM_PORT,
      publicUrl: values.MAILROOM_PUBLIC_URL?.replace(/\/+$/, '') ?? null,
    },
    logLevel: values.MAILROOM_LOG_LEVEL,
    firstAdmin: {
      email: values.MAILROOM_ADMIN_EMAIL?.toLowerCase() ?? null,
      password: values.MAILROOM_ADMIN_PASSWORD ?? null,
      name: values.MAILROOM_ADMIN_NAME,
    },
    adminDistDir: values.MAILROOM_ADMIN_DIST_DIR
      ? resolve(options.cwd, values.MAILROOM_ADMIN_DIST_DIR)
      : defaultAdminDistDir(),
    sessionTtlMs: values.MAILROOM_SESSION_TTL_HOURS * 60 * 60 * 1000,
  };
}

/** The master key: from the environment, the data folder, or generated there (embedded, non-production). */
export function loadSecretKey(config: ApiConfig): ResolvedSecretKey {
  return resolveSecretKey({
    fromEnvironment: config.secretKeyFromEnvironment,
    dataDir: config.dataDir,
    embedded: config.databaseUrl === null,
    production: config.production,
  });
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.variable}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
