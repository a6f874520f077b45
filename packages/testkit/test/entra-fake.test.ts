import { request } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import {
  ConfidentialClientApplication,
  CryptoProvider,
  InteractionRequiredAuthError,
} from '@azure/msal-node';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, startEntraFake, type Dovecot, type EntraFake } from '@mailroom/testkit';

const TENANT = '6f1c2a9e-3b7d-4e21-9c55-0d8e4a7b1f20';
const APP = {
  clientId: 'a1b2c3d4-0000-4000-8000-000000000001',
  clientSecret: 'app-secret',
  tenant: TENANT,
};
const USER = 'support@contoso.test';
const IMAP_SCOPES = ['https://outlook.office.com/IMAP.AccessAsUser.All'];

let entra: EntraFake;
beforeAll(async () => {
  entra = await startEntraFake();
  entra.registerApp({
    ...APP,
    name: 'Mailroom',
    redirectUris: ['https://mailroom.test/oauth/callback'],
  });
});
afterAll(() => entra?.stop());

function msal(secret = APP.clientSecret): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: { clientId: APP.clientId, clientSecret: secret, ...entra.msalConfig(TENANT) },
  });
}

/** POSTs a form with Node's https (trusting the fake's CA explicitly) and returns status + JSON. */
function postForm(
  url: string,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams(form).toString();
    const req = request(
      url,
      {
        method: 'POST',
        ca: entra.caPem,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The refresh token MSAL keeps in its cache (the rotated one after each refresh). */
function cachedRefreshToken(app: ConfidentialClientApplication): string {
  const cache = JSON.parse(app.getTokenCache().serialize()) as {
    RefreshToken: Record<string, { secret: string }>;
  };
  const [entry] = Object.values(cache.RefreshToken);
  if (!entry) throw new Error('no refresh token in the MSAL cache');
  return entry.secret;
}

describe('startEntraFake with msal-node', () => {
  it('is trusted through the CA the global setup put in NODE_EXTRA_CA_CERTS', () => {
    expect(entra.caTrustedByProcess).toBe(true);
    expect(entra.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves client credentials without any discovery request', async () => {
    const result = await msal().acquireTokenByClientCredential({
      scopes: ['https://outlook.office365.com/.default'],
    });
    expect(result?.accessToken.split('.')).toHaveLength(3);
    expect(result?.expiresOn && result.expiresOn.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    expect(entra.count({ endpoint: 'metadata' })).toBe(0);
    expect(entra.count({ endpoint: 'token', grantType: 'client_credentials', status: 200 })).toBe(
      1,
    );
  });

  it('redeems a code, refreshes silently with a rotated refresh token and revokes the old one', async () => {
    const app = msal();
    const code = entra.issueAuthorizationCode({
      clientId: APP.clientId,
      username: USER,
      redirectUri: 'https://mailroom.test/oauth/callback',
    });
    const first = await app.acquireTokenByCode({
      code,
      redirectUri: 'https://mailroom.test/oauth/callback',
      scopes: IMAP_SCOPES,
    });
    expect(first.account?.username).toBe(USER);
    expect(entra.isAccessTokenValid(first.accessToken, USER)).toBe(true);
    const firstRefresh = cachedRefreshToken(app);

    const second = await app.acquireTokenSilent({
      account: first.account!,
      scopes: IMAP_SCOPES,
      forceRefresh: true,
    });
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(cachedRefreshToken(app)).not.toBe(firstRefresh);
    expect(entra.count({ grantType: 'refresh_token', status: 200 })).toBe(1);

    const reuse = await postForm(entra.tokenEndpoint(TENANT), {
      grant_type: 'refresh_token', client_id: APP.clientId, client_secret: APP.clientSecret,
      refresh_token: firstRefresh, scope: IMAP_SCOPES.join(' '),
    }); // prettier-ignore
    expect(reuse.status).toBe(400);
    expect(reuse.body).toMatchObject({ error: 'invalid_grant', error_codes: [50173] });
    expect(String(reuse.body.error_description)).toMatch(/^AADSTS50173: /);

    const redeemedAgain = await postForm(entra.tokenEndpoint(TENANT), {
      grant_type: 'authorization_code', client_id: APP.clientId, client_secret: APP.clientSecret,
      code, redirect_uri: 'https://mailroom.test/oauth/callback', scope: IMAP_SCOPES.join(' '),
    }); // prettier-ignore
    expect(redeemedAgain.body).toMatchObject({ error: 'invalid_grant', error_codes: [54005] });
  });

  it('signs the configured user in at the authorize endpoint, with PKCE', async () => {
    entra.signIn(USER);
    const pkce = await new CryptoProvider().generatePkceCodes();
    const authorize = new URL(entra.authorizeEndpoint(TENANT));
    authorize.search = new URLSearchParams({
      client_id: APP.clientId, response_type: 'code', redirect_uri: 'https://mailroom.test/oauth/callback',
      scope: `${IMAP_SCOPES[0]} offline_access`, state: 'xyz', code_challenge: pkce.challenge, code_challenge_method: 'S256',
    }).toString(); // prettier-ignore
    const location = await new Promise<string>((resolve, reject) => {
      request(authorize, { ca: entra.caPem }, (res) => {
        res.resume();
        resolve(res.headers.location ?? '');
      })
        .on('error', reject)
        .end();
    });
    const redirect = new URL(location);
    expect(redirect.origin + redirect.pathname).toBe('https://mailroom.test/oauth/callback');
    expect(redirect.searchParams.get('state')).toBe('xyz');
    const result = await msal().acquireTokenByCode({
      code: redirect.searchParams.get('code')!, redirectUri: 'https://mailroom.test/oauth/callback',
      scopes: IMAP_SCOPES, codeVerifier: pkce.verifier,
    }); // prettier-ignore
    expect(result.account?.username).toBe(USER);
  });

  it('fails like Entra: wrong and expired secrets, revoked tokens, withdrawn consent, outages', async () => {
    const refreshToken = entra.issueRefreshToken({ clientId: APP.clientId, username: USER });
    await expect(
      msal('wrong').acquireTokenByRefreshToken({ refreshToken, scopes: IMAP_SCOPES }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_client',
      errorMessage: expect.stringMatching(/AADSTS7000215: Invalid client secret/),
    });

    entra.setConsentRevoked(APP.clientId, true, USER);
    const consent = await msal()
      .acquireTokenByRefreshToken({ refreshToken, scopes: IMAP_SCOPES })
      .catch((e: unknown) => e);
    expect(consent).toBeInstanceOf(InteractionRequiredAuthError);
    expect(consent).toMatchObject({ errorCode: 'invalid_grant', subError: 'consent_required' });
    entra.setConsentRevoked(APP.clientId, false, USER);

    entra.failNext(1);
    const outage = await postForm(entra.tokenEndpoint(TENANT), {
      grant_type: 'refresh_token', client_id: APP.clientId, client_secret: APP.clientSecret, refresh_token: refreshToken,
    }); // prettier-ignore
    expect(outage).toMatchObject({ status: 503, body: { error: 'temporarily_unavailable' } });

    entra.revokeRefreshToken(refreshToken);
    await expect(
      msal().acquireTokenByRefreshToken({ refreshToken, scopes: IMAP_SCOPES }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_grant',
      errorMessage: expect.stringMatching(/AADSTS50173: /),
    });

    entra.expireClientSecret(APP.clientId);
    await expect(
      msal().acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_client',
      errorMessage: expect.stringMatching(/AADSTS7000222: /),
    });
    entra.setClientSecret(APP.clientId, APP.clientSecret);
    expect(entra.count({ status: 401 })).toBe(2);
  });
});

describe('Dovecot XOAUTH2 against the Entra fake', () => {
  let dovecot: Dovecot;
  beforeAll(async () => {
    dovecot = await startDovecot({
      oauth2: { introspectionUrl: entra.introspectionUrl, only: true },
    });
  });
  afterAll(() => dovecot?.stop());

  async function login(user: string, accessToken: string): Promise<unknown> {
    const client = new ImapFlow(dovecot.imapOptions(user, { accessToken }));
    client.on('error', () => {});
    try {
      await client.connect();
      await client.logout();
      return 'ok';
    } catch (error) {
      return error;
    }
  }

  it('admits a token from the fake over XOAUTH2 and offers nothing else', async () => {
    const app = msal();
    const code = entra.issueAuthorizationCode({ clientId: APP.clientId, username: USER });
    const { accessToken } = await app.acquireTokenByCode({
      code,
      redirectUri: 'https://mailroom.test/oauth/callback',
      scopes: IMAP_SCOPES,
    });
    await dovecot.append(USER, 'INBOX', 'Subject: hello\r\n\r\nbody\r\n');

    const greeting = await new Promise<string>((resolve, reject) => {
      const socket = tlsConnect({
        host: '127.0.0.1',
        port: dovecot.imapsPort,
        ca: dovecot.certPem,
      });
      socket.once('data', (chunk: Buffer) => {
        resolve(chunk.toString());
        socket.end();
      });
      socket.once('error', reject);
    });
    expect(greeting).toContain('AUTH=XOAUTH2');
    expect(greeting).not.toContain('AUTH=PLAIN');
    expect(greeting).toContain('LOGINDISABLED');

    const client = new ImapFlow(dovecot.imapOptions(USER, { accessToken }));
    await client.connect();
    const status = await client.status('INBOX', { messages: true });
    expect(status && status.messages).toBe(1);
    await client.logout();
    await dovecot.waitForLog(/Login: user=<support@contoso\.test>, method=XOAUTH2/);
    expect(entra.count({ endpoint: 'introspect' })).toBeGreaterThanOrEqual(1);
  });

  it('refuses a revoked, an expired and another user’s token', async () => {
    const other = entra.issueAccessToken({
      username: 'someone@contoso.test',
      clientId: APP.clientId,
    });
    expect(await login(USER, other)).toMatchObject({
      authenticationFailed: true,
      serverResponseCode: 'AUTHENTICATIONFAILED',
    });

    const token = entra.issueAccessToken({ username: USER, clientId: APP.clientId });
    expect(await login(USER, token)).toBe('ok');
    entra.revokeAll(USER);
    expect(await login(USER, token)).toMatchObject({ authenticationFailed: true });

    const fresh = entra.issueAccessToken({ username: USER, clientId: APP.clientId });
    entra.expireAccessTokens();
    expect(await login(USER, fresh)).toMatchObject({ authenticationFailed: true });
    expect(await dovecot.countLogins(USER)).toBe(2);
  });
});
