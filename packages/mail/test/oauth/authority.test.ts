import { describe, expect, it } from 'vitest';
import { MailroomError } from '@mailroom/domain';
import { authorityFor, scopesOf } from '../../src/index';
import { appOnlyScopes } from '../../src/oauth/token-provider';

describe('authorityFor', () => {
  it('uses Microsoft discovery for the tenant when no token endpoint is set', () => {
    const config = authorityFor({ tenantId: 'contoso.onmicrosoft.com' });
    expect(config.authority).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com');
    expect(config.knownAuthorities).toBeUndefined();
    expect(config.authorityMetadata).toBeUndefined();
  });

  it('derives the authority from a national-cloud token endpoint and gives MSAL all metadata', () => {
    const config = authorityFor({
      tenantId: 'ignored-when-the-endpoint-names-one',
      tokenEndpoint: 'https://login.microsoftonline.us/1234-tenant/oauth2/v2.0/token',
    });
    expect(config.authority).toBe('https://login.microsoftonline.us/1234-tenant');
    expect(config.knownAuthorities).toEqual(['login.microsoftonline.us']);
    const metadata = JSON.parse(config.authorityMetadata ?? '{}');
    expect(metadata.token_endpoint).toBe(
      'https://login.microsoftonline.us/1234-tenant/oauth2/v2.0/token',
    );
    expect(metadata.authorization_endpoint).toBe(
      'https://login.microsoftonline.us/1234-tenant/oauth2/v2.0/authorize',
    );
    for (const key of ['issuer', 'jwks_uri']) expect(metadata[key]).toBeTypeOf('string');
    const discovery = JSON.parse(config.cloudDiscoveryMetadata ?? '{}');
    expect(discovery.metadata[0].aliases).toEqual(['login.microsoftonline.us']);
  });

  it('keeps a port and posts to a custom endpoint path exactly as configured', () => {
    const config = authorityFor({
      tenantId: 'tenant-a',
      tokenEndpoint: 'https://127.0.0.1:8443/custom/token',
    });
    expect(config.authority).toBe('https://127.0.0.1:8443/tenant-a');
    expect(config.knownAuthorities).toEqual(['127.0.0.1:8443']);
    expect(config.tokenEndpoint).toBe('https://127.0.0.1:8443/custom/token');
    expect(JSON.parse(config.authorityMetadata ?? '{}').token_endpoint).toBe(
      'https://127.0.0.1:8443/custom/token',
    );
  });

  it('refuses a plain http token endpoint with a field-level configuration error', () => {
    let thrown: unknown;
    try {
      authorityFor({
        tenantId: 't',
        tokenEndpoint: 'http://login.example.com/t/oauth2/v2.0/token',
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MailroomError);
    expect((thrown as MailroomError).code).toBe('mail.invalid_configuration');
    expect((thrown as MailroomError).details.field).toBe('oauth.tokenEndpoint');
  });
});

describe('scopes', () => {
  it('splits the scope setting on whitespace', () => {
    expect(
      scopesOf({ scope: ' https://outlook.office365.com/IMAP.AccessAsUser.All  offline_access ' }),
    ).toEqual(['https://outlook.office365.com/IMAP.AccessAsUser.All', 'offline_access']);
  });

  it('turns delegated scopes into the .default scope app-only access requires', () => {
    expect(
      appOnlyScopes([
        'https://outlook.office365.com/IMAP.AccessAsUser.All',
        'offline_access',
        'https://outlook.office365.com/.default',
      ]),
    ).toEqual(['https://outlook.office365.com/.default']);
  });
});
