/**
 * Microsoft OAuth2 mailboxes for the engine's auth tests: an app registration in the testkit
 * Entra ID fake (one per test, so its request counters belong to that test alone) and a mailbox
 * on the XOAUTH2-only Dovecot (implicit TLS, its certificate trusted per mailbox) whose token
 * endpoint is the fake. The fake's HTTPS certificate is trusted through the run's test CA
 * (NODE_EXTRA_CA_CERTS, set by the global setup before vitest forks its workers).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Database, Mailbox, Repositories } from '@mailroom/db';
import type { OAuthSettings } from '@mailroom/domain';
import type { Dovecot, EntraApp, EntraFake } from '@mailroom/testkit';
import { queryRows } from './engines';

export const registerTestApp = (entra: EntraFake, appMailbox?: string): EntraApp => {
  const app: EntraApp = {
    clientId: randomUUID(),
    clientSecret: `secret~${randomBytes(12).toString('hex')}`,
    tenant: randomUUID(),
    name: 'Mailroom engine test',
    ...(appMailbox === undefined ? {} : { appMailbox }),
  };
  entra.registerApp(app);
  return app;
};

export const newOAuthUser = (): string => `agent-${randomBytes(4).toString('hex')}@contoso.test`;

export const createOAuthMailbox = async (
  repositories: Repositories,
  input: {
    dovecot: Dovecot;
    entra: EntraFake;
    app: EntraApp;
    user: string;
    flow: Extract<OAuthSettings['flow'], 'refresh_token' | 'client_credentials'>;
    secrets: { refreshToken?: string; clientSecret?: string };
  },
): Promise<Mailbox> => {
  const { dovecot, entra, app, user, flow } = input;
  const tenant = await repositories.tenants.create({
    slug: `t-${randomBytes(5).toString('hex')}`,
    name: 'Contoso',
  });
  const created = await repositories.mailboxes.create({
    tenantId: tenant.id,
    settings: {
      name: `Support ${user}`,
      connection: {
        host: dovecot.host,
        port: dovecot.imapsPort,
        tls: 'implicit',
        trustedCertificatePem: dovecot.certPem,
        username: user,
        replyTo: 'support@mailroom.test',
        authType: 'oauth2',
        connectionTimeoutMs: 5000,
      },
      oauth: {
        flow,
        tenantId: app.tenant,
        clientId: app.clientId,
        scope:
          flow === 'client_credentials'
            ? 'https://outlook.office365.com/.default'
            : 'https://outlook.office365.com/IMAP.AccessAsUser.All offline_access',
        tokenEndpoint: entra.tokenEndpoint(app.tenant),
      },
      policy: { maxTries: 5, coolOffMinutes: 0.05 },
      reading: { folders: { read: ['INBOX'], postAction: 'mark_seen' } },
    },
  });
  await repositories.mailboxes.setSecrets(created.id, input.secrets);
  return repositories.mailboxes.setStatus(created.id, 'active');
};

/** The refresh tokens inside a serialized MSAL cache (the `msalCache` secret). */
export const refreshTokensIn = (cache: string | undefined): string[] => {
  if (cache === undefined) return [];
  const parsed = JSON.parse(cache) as { RefreshToken?: Record<string, { secret?: string }> };
  return Object.values(parsed.RefreshToken ?? {}).flatMap((entry) =>
    entry.secret === undefined ? [] : [entry.secret],
  );
};

/** The stored (encrypted) bytes of one mailbox secret, as the database holds them. */
export const storedSecretBytes = async (
  database: Database,
  mailboxId: string,
  name: 'msal_cache' | 'refresh_token' | 'client_secret' | 'password',
): Promise<Buffer> => {
  const [row] = await queryRows<{ ciphertext: Uint8Array | string }>(
    database,
    `select ciphertext from mailbox_secrets where mailbox_id = '${mailboxId}' and name = '${name}'`,
  );
  if (row === undefined) throw new Error(`no stored ${name} secret for ${mailboxId}`);
  const value = row.ciphertext;
  // postgres.js may hand bytea back as a \x-hex string through execute().
  return typeof value === 'string'
    ? Buffer.from(value.replace(/^\\x/, ''), 'hex')
    : Buffer.from(value);
};

/** Finished IMAP sessions of `user` in Dovecot's log (a session the engine closed or lost). */
export const sessionEnds = async (dovecot: Dovecot, user: string): Promise<number> =>
  (await dovecot.readLog())
    .split('\n')
    .filter((line) => line.includes(`imap(${user})`) && /Logged out|Disconnected/.test(line))
    .length;

/** Every IMAP login attempt (successful or not) of `user` on the public ports. */
export const loginAttempts = async (dovecot: Dovecot, user: string): Promise<number> =>
  (await dovecot.logins()).filter((record) => record.user === user).length;

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
