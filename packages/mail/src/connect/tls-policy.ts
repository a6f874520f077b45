/**
 * Turns a mailbox's TLS settings into what the socket layer needs: the TLS mode, the node tls
 * options of this one connection, and the self-signed exception. Trust is always per mailbox:
 * a pasted PEM is added to the system CAs for this connection only, and "trust self-signed"
 * still checks the host name and rejects expired certificates.
 */
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { ConnectionSettings, TlsMode } from '@mailroom/domain';
import { createMailError } from '../errors/mail-errors';

/** The part of a mailbox's settings a connection needs. A full ConnectionSettings fits. */
export type ImapEndpoint = Pick<
  ConnectionSettings,
  'host' | 'port' | 'tls' | 'username' | 'trustSelfSigned' | 'connectionTimeoutMs'
> & { trustedCertificatePem?: string | undefined };

export interface TlsPolicy {
  mode: TlsMode;
  /** Options for tls.connect on this connection only. */
  options: tls.ConnectionOptions;
  /** Accept a certificate whose only fault is an unknown (self-signed) issuer. */
  trustSelfSigned: boolean;
}

/** Verification failures the self-signed exception may accept; expiry and name are never accepted. */
export const SELF_SIGNED_REASONS: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
]);

const MIN_VERSION = 'TLSv1.2';
const MAX_CACHED_CONTEXTS = 64;

/**
 * Secure contexts with the system CAs plus one pasted PEM. Building one parses every root
 * certificate (20-30 ms of CPU), so they are memoized by PEM; a context is immutable and
 * shared safely between connections.
 */
const contextsByPem = new Map<string, tls.SecureContext>();

const secureContextWith = (pem: string): tls.SecureContext => {
  const cached = contextsByPem.get(pem);
  if (cached !== undefined) return cached;
  // node ignores CA text it cannot parse, so check it here: a typo must not silently fall
  // back to the system CAs.
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  let context: tls.SecureContext;
  try {
    if (blocks.length === 0) throw new Error('no certificate');
    for (const block of blocks) new X509Certificate(block);
    context = tls.createSecureContext({
      ca: [...tls.rootCertificates, ...blocks],
      minVersion: MIN_VERSION,
    });
  } catch {
    throw createMailError(
      'invalid_configuration',
      'The trusted certificate is not a valid PEM certificate. Paste the certificate including the BEGIN and END lines.',
      { phase: 'configure', field: 'connection.trustedCertificatePem' },
    );
  }
  if (contextsByPem.size >= MAX_CACHED_CONTEXTS) {
    const oldest = contextsByPem.keys().next().value;
    if (oldest !== undefined) contextsByPem.delete(oldest);
  }
  contextsByPem.set(pem, context);
  return context;
};

export const tlsPolicyFor = (
  endpoint: Pick<ImapEndpoint, 'tls' | 'trustSelfSigned' | 'trustedCertificatePem'>,
): TlsPolicy => {
  const pem = endpoint.trustedCertificatePem?.trim();
  const options: tls.ConnectionOptions = {
    minVersion: MIN_VERSION,
    // With the self-signed exception the chain is checked by verifyPeer() below instead.
    rejectUnauthorized: !endpoint.trustSelfSigned,
    ...(pem ? { secureContext: secureContextWith(pem) } : {}),
  };
  return { mode: endpoint.tls, options, trustSelfSigned: endpoint.trustSelfSigned };
};

export interface PeerCheck {
  authorized: boolean;
  authorizationError?: string | Error | null | undefined;
  getPeerCertificate(): tls.PeerCertificate;
}

/**
 * After the handshake: null when the peer is acceptable under `policy`, else an error with a
 * node certificate error code (mapped by toMailError). Only called with the exception on; without
 * it node has already refused any unverified peer.
 */
export const verifyPeer = (
  socket: PeerCheck,
  hostname: string,
  policy: TlsPolicy,
): Error | null => {
  if (socket.authorized) return null;
  const reason =
    socket.authorizationError instanceof Error
      ? String(
          (socket.authorizationError as NodeJS.ErrnoException).code ??
            socket.authorizationError.message,
        )
      : String(socket.authorizationError ?? 'CERT_UNTRUSTED');
  if (policy.trustSelfSigned && SELF_SIGNED_REASONS.has(reason)) {
    const certificate = socket.getPeerCertificate();
    // OpenSSL stops at the first fault, so an expired self-signed certificate reports only
    // "self-signed": check the validity window here.
    const now = Date.now();
    if (Date.parse(certificate.valid_to) < now) {
      return Object.assign(new Error('The server certificate has expired'), {
        code: 'CERT_HAS_EXPIRED',
      });
    }
    if (Date.parse(certificate.valid_from) > now) {
      return Object.assign(new Error('The server certificate is not valid yet'), {
        code: 'CERT_NOT_YET_VALID',
      });
    }
    return tls.checkServerIdentity(hostname, certificate) ?? null;
  }
  return Object.assign(new Error(`The server certificate was not accepted (${reason})`), {
    code: reason,
  });
};
