/**
 * The socket layer under imapflow (its `transport` option): TCP to the addresses the session
 * already resolved, then TLS with this mailbox's trust policy. Owning the sockets lets us time
 * TCP and TLS separately, apply the self-signed exception with host name and expiry checks, and
 * refuse an untrusted peer before imapflow reads a single byte from it.
 */
import type { LookupAddress } from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';
import type { ImapTransport, ImapTransportOptions, ImapTransportSocket } from 'imapflow';
import type { ConnectionTrace } from './connection-trace';
import { verifyPeer, type TlsPolicy } from './tls-policy';

export interface TransportSetup {
  policy: TlsPolicy;
  trace: ConnectionTrace;
  /** Addresses from the resolve phase; net.connect then does no DNS query of its own. */
  addresses?: LookupAddress[];
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A net.connect `lookup` that answers from the resolve phase instead of asking DNS again. */
const lookupFrom =
  (addresses: LookupAddress[]) =>
  (_hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    const first = addresses[0];
    if (first === undefined) {
      callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), []);
    } else if (options.all) {
      callback(null, addresses);
    } else {
      callback(null, first.address, first.family);
    }
  };

const identityName = (options: ImapTransportOptions): string => options.servername ?? options.host;

/** Wraps `socket` in TLS and calls `onSecure` only once the peer passed this mailbox's policy. */
const startTls = (
  socket: net.Socket,
  options: ImapTransportOptions,
  setup: TransportSetup,
  onSecure: () => void,
): tls.TLSSocket => {
  const secure = tls.connect({
    ...setup.policy.options,
    socket,
    host: options.host,
    ...(options.servername === undefined ? {} : { servername: options.servername }),
  });
  secure.once('secureConnect', () => {
    const refusal = verifyPeer(secure, identityName(options), setup.policy);
    if (refusal !== null) {
      secure.destroy(refusal);
      return;
    }
    setup.trace.tls = {
      protocol: secure.getProtocol(),
      cipher: secure.getCipher()?.standardName ?? null,
      trustedBy: secure.authorized ? 'ca' : 'self_signed',
    };
    onSecure();
  });
  return secure;
};

export const createImapTransport = (setup: TransportSetup): ImapTransport => ({
  connect(options, onConnect) {
    setup.trace.enter('connect', `${options.host}:${options.port}`);
    const tcp = net.connect({
      host: options.host,
      port: options.port,
      ...(setup.addresses === undefined ? {} : { lookup: lookupFrom(setup.addresses) }),
      autoSelectFamily: true,
    });
    // Errors are re-emitted by the TLS socket that wraps this one; this keeps them from
    // counting as unhandled on the inner socket.
    tcp.on('error', () => {});
    tcp.once('connect', () => {
      setup.trace.describe(
        `${tcp.remoteAddress ?? options.host}:${tcp.remotePort ?? options.port}`,
      );
      if (!options.secure) setup.trace.enter('greeting');
      else setup.trace.enter('tls');
    });
    if (!options.secure) {
      tcp.once('connect', onConnect);
      return tcp as ImapTransportSocket;
    }
    return startTls(tcp, options, setup, () => {
      setup.trace.enter('greeting');
      onConnect();
    }) as ImapTransportSocket;
  },
  upgrade(socket, options, onSecure) {
    setup.trace.enter('tls', 'STARTTLS');
    return startTls(socket as net.Socket, options, setup, () => {
      setup.trace.enter('authenticate');
      onSecure();
    }) as ImapTransportSocket;
  },
});
