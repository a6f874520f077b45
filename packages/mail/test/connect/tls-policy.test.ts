import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type tls from 'node:tls';
import { tlsPolicyFor } from '../../src/index';
import { verifyPeer } from '../../src/connect/tls-policy';

const certificate = (overrides: Partial<tls.PeerCertificate> = {}): tls.PeerCertificate =>
  ({
    subject: { CN: 'mail.example.com' },
    subjectaltname: 'DNS:mail.example.com',
    valid_from: 'Jan  1 00:00:00 2020 GMT',
    valid_to: 'Jan  1 00:00:00 2099 GMT',
    ...overrides,
  }) as tls.PeerCertificate;

const peer = (authorizationError: string | null, cert = certificate()) => ({
  authorized: authorizationError === null,
  authorizationError,
  getPeerCertificate: () => cert,
});

describe('tlsPolicyFor', () => {
  it('verifies certificates unless the mailbox trusts self-signed ones', () => {
    expect(
      tlsPolicyFor({ tls: 'implicit', trustSelfSigned: false }).options.rejectUnauthorized,
    ).toBe(true);
    expect(
      tlsPolicyFor({ tls: 'implicit', trustSelfSigned: true }).options.rejectUnauthorized,
    ).toBe(false);
  });

  it('gives a connection with a pasted PEM its own secure context, built once per PEM', async () => {
    const { createSelfSignedCertificate } = await import('@mailroom/testkit');
    const dir = await mkdtemp(join(tmpdir(), 'mailroom-tls-policy-'));
    try {
      const { certPem } = await createSelfSignedCertificate(dir);
      const first = tlsPolicyFor({
        tls: 'starttls',
        trustSelfSigned: false,
        trustedCertificatePem: certPem,
      });
      const second = tlsPolicyFor({
        tls: 'implicit',
        trustSelfSigned: false,
        trustedCertificatePem: certPem,
      });
      expect(first.options.secureContext).toBeDefined();
      expect(second.options.secureContext).toBe(first.options.secureContext);
      expect(
        tlsPolicyFor({ tls: 'implicit', trustSelfSigned: false }).options.secureContext,
      ).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a pasted PEM that is not a certificate as a configuration error', () => {
    let thrown: unknown;
    try {
      tlsPolicyFor({
        tls: 'implicit',
        trustSelfSigned: false,
        trustedCertificatePem: 'not a certificate',
      });
    } catch (error) {
      thrown = error;
    }
    expect((thrown as { code?: string }).code).toBe('mail.invalid_configuration');
  });
});

describe('verifyPeer with the self-signed exception', () => {
  const policy = tlsPolicyFor({ tls: 'implicit', trustSelfSigned: true });

  it('accepts a self-signed certificate for the right host', () => {
    expect(verifyPeer(peer('DEPTH_ZERO_SELF_SIGNED_CERT'), 'mail.example.com', policy)).toBeNull();
  });

  it('still refuses a self-signed certificate for another host', () => {
    const error = verifyPeer(
      peer('DEPTH_ZERO_SELF_SIGNED_CERT'),
      'other.example.com',
      policy,
    ) as NodeJS.ErrnoException;
    expect(error.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });

  it('still refuses an expired self-signed certificate', () => {
    const expired = certificate({ valid_to: 'Jan  1 00:00:00 2021 GMT' });
    const error = verifyPeer(
      peer('DEPTH_ZERO_SELF_SIGNED_CERT', expired),
      'mail.example.com',
      policy,
    ) as NodeJS.ErrnoException;
    expect(error.code).toBe('CERT_HAS_EXPIRED');
  });

  it('refuses faults other than an unknown issuer', () => {
    const error = verifyPeer(
      peer('CERT_REVOKED'),
      'mail.example.com',
      policy,
    ) as NodeJS.ErrnoException;
    expect(error.code).toBe('CERT_REVOKED');
  });
});
