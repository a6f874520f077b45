/**
 * Is a mailbox configuration complete enough to try (Test Connection) or to run
 * (activation)? Pure: the caller loads secrets' presence, the template, ticket types and
 * offers; this only says what is missing, one `{path, message}` per problem, in words an
 * admin can act on. It never sees a secret's value.
 */
import type {
  ConnectionSettings,
  FieldIssue,
  OAuthSettings,
  TicketMapping,
} from '@mailroom/domain';
import { validateTicketMapping, type CatalogEntry } from '@mailroom/mapping';
import type { StoredTicketTemplate } from '@mailroom/db';

export interface CredentialsPresent {
  password: boolean;
  clientSecret: boolean;
  refreshToken: boolean;
  /** A Microsoft sign-in (MSAL token cache) is stored. Never true for unsaved settings. */
  msalCache: boolean;
}

/** What login needs for the auth type and OAuth flow. `settingsPrefix` is `''` or `'settings.'`. */
export const credentialIssues = (
  input: { connection: Pick<ConnectionSettings, 'authType'>; oauth?: OAuthSettings | undefined },
  present: CredentialsPresent,
  settingsPrefix = '',
): FieldIssue[] => {
  if (input.connection.authType === 'password') {
    return present.password
      ? []
      : [{ path: 'secrets.password', message: 'enter the password of the mailbox login' }];
  }
  const oauth = input.oauth;
  if (oauth === undefined) {
    return [
      {
        path: `${settingsPrefix}oauth`,
        message: 'OAuth2 needs the Microsoft settings: tenant id, client id and scope',
      },
    ];
  }
  switch (oauth.flow) {
    case 'client_credentials':
      return present.clientSecret
        ? []
        : [{ path: 'secrets.clientSecret', message: 'app-only access needs the client secret' }];
    case 'refresh_token':
      return present.refreshToken || present.msalCache
        ? []
        : [
            {
              path: 'secrets.refreshToken',
              message: 'paste a refresh token, or use "Sign in with Microsoft"',
            },
          ];
    case 'authorization_code':
      return present.msalCache
        ? []
        : [
            {
              path: `${settingsPrefix}oauth.signIn`,
              message: 'save the mailbox and use "Sign in with Microsoft" first',
            },
          ];
  }
};

export interface ActivationInput {
  tenantId: string;
  connection: ConnectionSettings;
  oauth?: OAuthSettings | undefined;
  mapping?: TicketMapping | undefined;
  present: CredentialsPresent;
  /** The mapping's template as loaded within the tenant, or null. */
  template: StoredTicketTemplate | null;
  ticketTypes: readonly CatalogEntry[];
  offers: readonly CatalogEntry[];
}

/** Everything that keeps a mailbox from being activated; empty when it may run. */
export const activationIssues = (input: ActivationInput): FieldIssue[] => {
  const issues = credentialIssues(input, input.present, 'settings.');
  if (input.mapping === undefined) {
    issues.push({
      path: 'settings.mapping',
      message: 'choose how mail becomes a ticket: a published template and ticket types',
    });
    return issues;
  }
  const mappingIssues = validateTicketMapping(
    input.mapping,
    input.template,
    input.ticketTypes,
    input.offers,
    { tenantId: input.tenantId },
  );
  for (const issue of mappingIssues) {
    issues.push({ path: `settings.mapping.${issue.path}`, message: issue.message });
  }
  return issues;
};
