/**
 * Turns a mailbox's TLS settings into what the socket layer needs: the TLS mode, the node tls
 * options of this one connection, and the self-signed exception. Trust is always per mailbox:
 * a pasted PEM is added to the system CAs for this connection only, and "trust self-signed"
 * still checks the host name and rejects expired certificates.
 */
import tls from 'node:tls';
import type { ConnectionSettings, TlsMode } from '@mailroom/domain';

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

export const tlsPolicyFor = (
  endpoint: Pick<ImapEndpoint, 'tls' | 'trustSelfSigned' | 'trustedCertificatePem'>,
): TlsPolicy => {
  const pem = endpoint.trustedCertificatePem?.trim();
  const options: tls.ConnectionOptions = {
    minVersion: 'TLSv1.2',
    // With the self-signed exception the chain is checked by verifyPeer() below instead.
    rejectUnauthorized: !endpoint.trustSelfSigned,
    ...(pem ? { ca: [...tls.rootCertificates, pem] } : {}),
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
