/**
 * `mailroom test-connection`: Test Connection for admins and scripts. It only reads the
 * arguments and secret files, calls `testConnection` from @mailroom/mail and prints the report
 * (one JSON object with --json). Exit 0 only when the connection works, 1 when it does not,
 * 2 for bad arguments. Secrets come from files, never from the command line.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  connectionSettingsSchema,
  oauthSettingsSchema,
  toFieldIssues,
  type MailboxSecrets,
  type OAuthSettings,
} from '@mailroom/domain';
import {
  createMemoryTokenCacheStore,
  testConnection,
  type TestConnectionReport,
  type TokenCacheStore,
} from '@mailroom/mail';
import { z } from 'zod';
import type { CliCommand, CliIo } from '../command';

const usage =
  'mailroom test-connection --host H --port P --tls implicit|starttls|none --user U ' +
  '(--password-file F | --oauth-settings F) [--trust-self-signed] [--ca-file F] [--timeout-ms N] [--json]';

class UsageError extends Error {}

/** The --oauth-settings file: the mailbox's OAuth settings plus its secrets (or files holding them). */
const oauthFileSchema = z.object({
  flow: z.string(),
  tenantId: z.string(),
  clientId: z.string(),
  redirectUrl: z.string().optional(),
  scope: z.string().optional(),
  tokenEndpoint: z.string().optional(),
  clientSecret: z.string().optional(),
  clientSecretFile: z.string().optional(),
  refreshToken: z.string().optional(),
  refreshTokenFile: z.string().optional(),
  /** MSAL token cache (from a sign-in); read, and rewritten when the refresh token rotates. */
  tokenCacheFile: z.string().optional(),
  /** PEM of a CA to trust for the token endpoint only. */
  tokenEndpointCaFile: z.string().optional(),
});

const readSecretFile = async (path: string, what: string): Promise<string> => {
  try {
    return (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
  } catch (error) {
    throw new UsageError(
      `cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
};

const fileTokenStore = (path: string): TokenCacheStore => ({
  load: async () => {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  },
  save: async (cache) => writeFile(path, cache, { mode: 0o600 }),
});

const issuesText = (issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>) =>
  toFieldIssues(issues)
    .map((issue) => `${issue.path || '(file)'}: ${issue.message}`)
    .join('; ');

const loadOAuth = async (path: string) => {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `cannot read the OAuth settings file ${path}: ${(error as Error).message}`,
    );
  }
  const file = oauthFileSchema.safeParse(raw);
  if (!file.success) throw new UsageError(`OAuth settings file: ${issuesText(file.error.issues)}`);
  const settings = oauthSettingsSchema.safeParse(file.data);
  if (!settings.success)
    throw new UsageError(`OAuth settings file: ${issuesText(settings.error.issues)}`);
  const secrets: MailboxSecrets = {};
  const clientSecret =
    file.data.clientSecret ??
    (file.data.clientSecretFile
      ? await readSecretFile(file.data.clientSecretFile, 'client secret')
      : undefined);
  const refreshToken =
    file.data.refreshToken ??
    (file.data.refreshTokenFile
      ? await readSecretFile(file.data.refreshTokenFile, 'refresh token')
      : undefined);
  if (clientSecret) secrets.clientSecret = clientSecret;
  if (refreshToken) secrets.refreshToken = refreshToken;
  return {
    oauth: settings.data as OAuthSettings,
    secrets,
    store: file.data.tokenCacheFile
      ? fileTokenStore(file.data.tokenCacheFile)
      : createMemoryTokenCacheStore(),
    ...(file.data.tokenEndpointCaFile
      ? {
          tokenEndpointCa: await readSecretFile(file.data.tokenEndpointCaFile, 'token endpoint CA'),
        }
      : {}),
  };
};

const parse = (args: string[]) => {
  try {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        tls: { type: 'string' },
        user: { type: 'string' },
        'password-file': { type: 'string' },
        'oauth-settings': { type: 'string' },
        'trust-self-signed': { type: 'boolean', default: false },
        'ca-file': { type: 'string' },
        'timeout-ms': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
};

const printReport = (report: TestConnectionReport, io: CliIo, title: string): void => {
  const lines = [title];
  const width = Math.max(...report.steps.map((step) => step.name.length), 8);
  for (const step of report.steps) {
    lines.push(
      `  ${step.ok ? 'ok  ' : 'FAIL'} ${step.name.padEnd(width)} ${String(step.ms).padStart(6)} ms  ${step.detail}`,
    );
  }
  if (report.ok) {
    lines.push(
      `Capabilities: ${Object.entries(report.capabilities)
        .map(([name, present]) => `${name} ${present ? 'yes' : 'no'}`)
        .join(', ')}`,
    );
    lines.push(`Folders (${report.folders.length}):`);
    for (const folder of report.folders) {
      const special = folder.specialUse ? ` ${folder.specialUse}` : '';
      const count = folder.messages === null ? '' : `  ${folder.messages} messages`;
      lines.push(`  ${folder.path}${special}${count}`);
    }
    lines.push(`Connection works (${report.totalMs} ms).`);
  } else if (report.error) {
    lines.push(
      `Connection failed: ${report.error.code} (${report.error.phase})`,
      report.error.message,
    );
  }
  io.stdout.write(`${lines.join('\n')}\n`);
};

const run = async (args: string[], io: CliIo): Promise<number> => {
  const values = parse(args);
  for (const required of ['host', 'port', 'tls', 'user'] as const) {
    if (!values[required]) throw new UsageError(`--${required} is required`);
  }
  if (Boolean(values['password-file']) === Boolean(values['oauth-settings'])) {
    throw new UsageError('give exactly one of --password-file or --oauth-settings');
  }
  const authType = values['password-file'] ? 'password' : 'oauth2';
  const connection = connectionSettingsSchema
    .pick({
      host: true,
      port: true,
      tls: true,
      username: true,
      trustSelfSigned: true,
      connectionTimeoutMs: true,
    })
    .safeParse({
      host: values.host,
      port: Number(values.port),
      tls: values.tls,
      username: values.user,
      trustSelfSigned: values['trust-self-signed'],
      ...(values['timeout-ms'] === undefined
        ? {}
        : { connectionTimeoutMs: Number(values['timeout-ms']) }),
    });
  if (!connection.success) throw new UsageError(issuesText(connection.error.issues));
  const trustedCertificatePem = values['ca-file']
    ? await readSecretFile(values['ca-file'], 'CA')
    : undefined;

  const oauth = values['oauth-settings'] ? await loadOAuth(values['oauth-settings']) : null;
  const password = values['password-file']
    ? await readSecretFile(values['password-file'], 'password')
    : undefined;

  const report = await testConnection({
    connection: {
      ...connection.data,
      authType,
      ...(trustedCertificatePem ? { trustedCertificatePem } : {}),
    },
    secrets: oauth ? oauth.secrets : { ...(password === undefined ? {} : { password }) },
    ...(oauth
      ? {
          oauth: oauth.oauth,
          tokenStore: oauth.store,
          ...(oauth.tokenEndpointCa ? { tokenEndpointCa: oauth.tokenEndpointCa } : {}),
        }
      : {}),
  });

  if (values.json) {
    const { ok, steps, capabilities, folders, tls, greeting, totalMs, error } = report;
    io.stdout.write(
      `${JSON.stringify({ ok, steps, capabilities, folders, tls, greeting, totalMs, ...(error ? { error } : {}) })}\n`,
    );
  } else {
    const { host, port, tls, username } = connection.data;
    printReport(report, io, `Test connection to ${host}:${port} (${tls} TLS) as ${username}`);
  }
  return report.ok ? 0 : 1;
};

export const testConnectionCommand: CliCommand = {
  name: 'test-connection',
  summary: 'Check IMAP settings step by step (DNS, TCP, TLS, greeting, login, folders)',
  usage,
  run: async (args, io) => {
    try {
      return await run(args, io);
    } catch (error) {
      if (error instanceof UsageError) {
        io.stderr.write(`${error.message}\nUsage: ${usage}\n`);
        return 2;
      }
      io.stderr.write(`Error: ${(error as Error).message}\n`);
      return 1;
    }
  },
};
