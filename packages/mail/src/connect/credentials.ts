/** How a session logs in: a password, or an access token from a TokenProvider (XOAUTH2). */

export interface AccessToken {
  accessToken: string;
  expiresAt: Date;
  /** True when no token request was made for this call. */
  fromCache: boolean;
}

export interface AccessTokenSource {
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<AccessToken>;
}

export type ImapCredentials =
  { type: 'password'; password: string } | { type: 'oauth2'; tokens: AccessTokenSource };

/** The SASL XOAUTH2 initial response, so loggers can scrub it even in base64. */
export const xoauth2Payload = (user: string, accessToken: string): string =>
  Buffer.from(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`, 'utf8').toString('base64');
