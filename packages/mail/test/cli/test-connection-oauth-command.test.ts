/**
 * `mailroom test-connection --oauth-settings F` against the XOAUTH2-only Dovecot and the Entra
 * ID fake: a pasted refresh token from a file, the token cache kept in a file across runs
 * while the fake revokes every redeemed refresh token.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startDovecot,
  startEntraFake,
  type Dovecot,
  type EntraApp,
  type EntraFake,
} from '@mailroom/testkit';
import { testConnectionCommand } from '../../../../apps/api/src/cli/commands/test-connection';
import { oauthSettings, registerApp } from '../support/entra-support';
import { expectNoSecrets } from '../support/mail-test-support';

const USER = 'agent@contoso.test';
let fake: EntraFake;
let dovecot: Dovecot;
let app: EntraApp;
let dir: string;
const outputs: string[] = [];
const secrets: string[] = [];

const run = async (args: string[]) => {
  const chunks = { out: [] as string[], err: [] as string[] };
  const sink = (into: string[]) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        into.push(chunk.toString());
        callback();
      },
    });
  const code = await testConnectionCommand.run(args, {
    stdout: sink(chunks.out),
    stderr: sink(chunks.err),
    env: {},
  });
  outputs.push(...chunks.out, ...chunks.err);
  return { code, stdout: chunks.out.join(''), stderr: chunks.err.join('') };
};

beforeAll(async () => {
  fake = await startEntraFake();
  app = registerApp(fake);
  dovecot = await startDovecot({ oauth2: { introspectionUrl: fake.introspectionUrl, only: true } });
  dir = await mkdtemp(join(tmpdir(), 'mailroom-cli-oauth-'));
  const refreshToken = fake.issueRefreshToken({ clientId: app.clientId, username: USER });
  secrets.push(refreshToken, app.clientSecret);
  await writeFile(join(dir, 'refresh-token'), `${refreshToken}\n`);
  await writeFile(join(dir, 'client-secret'), app.clientSecret);
  await writeFile(join(dir, 'entra-ca.pem'), fake.caPem);
  await writeFile(join(dir, 'imap-ca.pem'), dovecot.certPem);
  const { flow, tenantId, clientId, scope, tokenEndpoint } = oauthSettings(
    fake,
    app,
    'refresh_token',
  );
  await writeFile(
    join(dir, 'oauth.json'),
    JSON.stringify({
      flow,
      tenantId,
      clientId,
      scope,
      tokenEndpoint,
      clientSecretFile: join(dir, 'client-secret'),
      refreshTokenFile: join(dir, 'refresh-token'),
      tokenCacheFile: join(dir, 'token-cache.json'),
      tokenEndpointCaFile: join(dir, 'entra-ca.pem'),
    }),
  );
});
afterAll(async () => {
  expectNoSecrets(outputs, secrets);
  await dovecot?.stop();
  await fake?.stop();
  await rm(dir, { recursive: true, force: true });
});

const args = () => [
  '--host',
  dovecot.host,
  '--port',
  String(dovecot.imapsPort),
  '--tls',
  'implicit',
  '--user',
  USER,
  '--oauth-settings',
  join(dir, 'oauth.json'),
  '--ca-file',
  join(dir, 'imap-ca.pem'),
  '--json',
];

describe('mailroom test-connection with --oauth-settings', () => {
  it('logs in with XOAUTH2 and keeps the rotated refresh token in the cache file between runs', async () => {
    const first = await run(args());
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.steps.map((step: { name: string }) => step.name)).toContain('token');
    expect((await stat(join(dir, 'token-cache.json'))).mode & 0o777).toBe(0o600);

    // The pasted token was redeemed (and revoked by the fake); the second run needs the file.
    fake.expireAccessTokens();
    const second = await run(args());
    expect(second.code).toBe(0);
    const cache = JSON.parse(await readFile(join(dir, 'token-cache.json'), 'utf8'));
    for (const entry of Object.values(cache.RefreshToken ?? {}) as Array<{ secret: string }>)
      secrets.push(entry.secret);
    for (const entry of Object.values(cache.AccessToken ?? {}) as Array<{ secret: string }>)
      secrets.push(entry.secret);
  });

  it('exits 1 with oauth_reauth_required once the grant is revoked', async () => {
    fake.revokeAll(USER);
    const { code, stdout } = await run(args());
    expect(code).toBe(1);
    expect(JSON.parse(stdout).error.code).toBe('mail.oauth_reauth_required');
  });

  it('exits 2 for an invalid OAuth settings file', async () => {
    await writeFile(
      join(dir, 'bad.json'),
      JSON.stringify({ flow: 'magic', tenantId: '', clientId: 'x' }),
    );
    const { code, stderr } = await run([
      ...args().slice(0, 8),
      '--oauth-settings',
      join(dir, 'bad.json'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('OAuth settings file');
  });
});
