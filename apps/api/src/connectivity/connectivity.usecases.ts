/**
 * Test Connection (unsaved settings, or a saved mailbox with optional overrides) and the
 * folder list. A refused connection is a report, not an error; only a configuration that
 * cannot even be tried is refused (422). A saved OAuth mailbox tests through its stored MSAL
 * cache, and a refresh during the test is saved back, so a rotated refresh token is never
 * lost to a test.
 */
import type { Mailbox, MailboxesRepository } from '@mailroom/db';
import { createMailboxTokenStore } from '@mailroom/ingest';
import type { ConnectionSettings, OAuthSettings } from '@mailroom/domain';
import {
  testConnection,
  type FolderInfo,
  type MailLogger,
  type TestConnectionReport,
} from '@mailroom/mail';
import { UpstreamError } from '../app/app.errors';
import { configurationIncompleteError } from '../mailboxes/mailboxes.errors';
import { credentialIssues } from '../mailboxes/mailbox-readiness.models';
import { mailboxNotFoundError } from '../mailboxes/mailboxes.usecases';
import type { TestSecrets } from './connectivity.models';

export interface TestInput {
  connection: ConnectionSettings;
  oauth?: OAuthSettings | undefined;
  secrets: TestSecrets;
}

const definedSecrets = (secrets: TestSecrets): TestSecrets => {
  const out: TestSecrets = {};
  if (secrets.password !== undefined) out.password = secrets.password;
  if (secrets.clientSecret !== undefined) out.clientSecret = secrets.clientSecret;
  if (secrets.refreshToken !== undefined) out.refreshToken = secrets.refreshToken;
  return out;
};

const requireCredentials = (input: TestInput, msalCache: boolean): void => {
  const issues = credentialIssues(input, {
    password: input.secrets.password !== undefined,
    clientSecret: input.secrets.clientSecret !== undefined,
    refreshToken: input.secrets.refreshToken !== undefined,
    msalCache,
  });
  if (issues.length > 0) {
    throw configurationIncompleteError(
      issues,
      'Something the connection test needs is missing; see the listed fields.',
    );
  }
};

export function createConnectivityUsecases({
  mailboxes,
  tokenEndpointCa,
}: {
  mailboxes: MailboxesRepository;
  /** Extra CA (PEM) for the OAuth token endpoint; normally unset. */
  tokenEndpointCa?: string;
}) {
  const getScoped = async (tenantId: string, id: string): Promise<Mailbox> => {
    const mailbox = await mailboxes.get(id, { tenantId });
    if (!mailbox) throw mailboxNotFoundError();
    return mailbox;
  };

  const run = (
    input: TestInput,
    extra: { mailboxId?: string; logger?: MailLogger },
  ): Promise<TestConnectionReport> =>
    testConnection({
      connection: input.connection,
      secrets: input.secrets,
      ...(input.oauth ? { oauth: input.oauth } : {}),
      ...(extra.mailboxId
        ? { tokenStore: createMailboxTokenStore(mailboxes, extra.mailboxId) }
        : {}),
      ...(tokenEndpointCa ? { tokenEndpointCa } : {}),
      ...(extra.logger ? { logger: extra.logger } : {}),
    });

  const testSaved = async (
    tenantId: string,
    id: string,
    overrides: Partial<TestInput>,
    logger?: MailLogger,
  ): Promise<TestConnectionReport> => {
    const mailbox = await getScoped(tenantId, id);
    const stored = await mailboxes.getSecrets(id);
    const input: TestInput = {
      connection: overrides.connection ?? mailbox.settings.connection,
      oauth: overrides.oauth ?? mailbox.settings.oauth,
      secrets: definedSecrets({
        password: overrides.secrets?.password ?? stored.password,
        clientSecret: overrides.secrets?.clientSecret ?? stored.clientSecret,
        refreshToken: overrides.secrets?.refreshToken ?? stored.refreshToken,
      }),
    };
    requireCredentials(input, stored.msalCache !== undefined);
    return run(input, { mailboxId: id, ...(logger ? { logger } : {}) });
  };

  return {
    /** Settings the admin has not saved yet; nothing is stored. */
    async testUnsaved(input: TestInput, logger?: MailLogger): Promise<TestConnectionReport> {
      const cleaned = { ...input, secrets: definedSecrets(input.secrets) };
      requireCredentials(cleaned, false);
      return run(cleaned, logger ? { logger } : {});
    },

    testSaved,

    /** The folders of a saved mailbox, through a real login; a mail server problem is a 502. */
    async listFolders(tenantId: string, id: string, logger?: MailLogger): Promise<FolderInfo[]> {
      const report = await testSaved(tenantId, id, {}, logger);
      if (report.ok || report.error === undefined) return report.folders;
      throw new UpstreamError(report.error.code, report.error.message, {
        phase: report.error.phase,
      });
    },
  };
}

export type ConnectivityUsecases = ReturnType<typeof createConnectivityUsecases>;
