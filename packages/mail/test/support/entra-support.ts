/**
 * Helpers for the OAuth tests against the testkit Entra ID fake: an app registration, the
 * mailbox's OAuth settings pointing at the fake, and the browser leg of "Sign in with
 * Microsoft" (GET the authorize URL, read the redirect's code and state).
 */
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import type { OAuthSettings } from '@mailroom/domain';
import type { EntraApp, EntraFake } from '@mailroom/testkit';

export const REDIRECT_URL = 'https://mailroom.test/oauth/callback';

export const registerApp = (fake: EntraFake, overrides: Partial<EntraApp> = {}): EntraApp => {
  const app: EntraApp = {
    clientId: randomUUID(),
    clientSecret: `secret~${randomUUID()}`,
    tenant: randomUUID(),
    name: 'Mailroom test',
    redirectUris: [REDIRECT_URL],
    ...overrides,
  };
  fake.registerApp(app);
  return app;
};

export const oauthSettings = (
  fake: EntraFake,
  app: EntraApp,
  flow: OAuthSettings['flow'],
  overrides: Partial<OAuthSettings> = {},
): OAuthSettings => ({
  flow,
  tenantId: app.tenant,
  clientId: app.clientId,
  redirectUrl: REDIRECT_URL,
  scope:
    flow === 'client_credentials'
      ? 'https://outlook.office365.com/.default'
      : 'https://outlook.office365.com/IMAP.AccessAsUser.All offline_access',
  tokenEndpoint: fake.tokenEndpoint(app.tenant),
  ...overrides,
});

/** What the admin's browser does: open the sign-in URL and come back to the redirect URL. */
export const followSignIn = (
  url: string,
  caPem: string,
): Promise<{ code?: string; state?: string; error?: string; errorDescription?: string }> =>
  new Promise((resolve, reject) => {
    https
      .get(url, { ca: caPem }, (response) => {
        response.resume();
        const location = response.headers.location;
        if (response.statusCode !== 302 || location === undefined) {
          reject(new Error(`authorize answered ${response.statusCode ?? 0} without a redirect`));
          return;
        }
        const query = new URL(location).searchParams;
        const pick = (name: string) => query.get(name) ?? undefined;
        resolve({
          ...(pick('code') ? { code: pick('code') } : {}),
          ...(pick('state') ? { state: pick('state') } : {}),
          ...(pick('error') ? { error: pick('error') } : {}),
          ...(pick('error_description') ? { errorDescription: pick('error_description') } : {}),
        });
      })
      .on('error', reject);
  });
