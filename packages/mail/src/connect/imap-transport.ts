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

/**
 * Starts TLS, either on a connected socket (STARTTLS) or as a new connection (implicit TLS),
 * and calls `onSecure` only once the peer passed this mailbox's policy. A socket that is still
 * connecting is never wrapped: with several addresses (autoSelectFamily) node swaps the
 * socket's handle while connecting, and a TLS wrapper on the old handle crashes the process.
 */
const startTls = (
  target: { socket: net.Socket } | net.TcpNetConnectOpts,
  options: ImapTransportOptions,
  setup: TransportSetup,
  onSecure: () => void,
): tls.TLSSocket => {
  const secure = tls.connect({
    ...setup.policy.options,
    ...target,
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
    const tcpOptions: net.TcpNetConnectOpts = {
      host: options.host,
      port: options.port,
      ...(setup.addresses === undefined ? {} : { lookup: lookupFrom(setup.addresses) }),
      autoSelectFamily: true,
    };
    const socket = options.secure
      ? startTls(tcpOptions, options, setup, () => {
          setup.trace.enter('greeting');
          onConnect();
        })
      : net.connect(tcpOptions);
    // A TLS socket emits 'connect' when TCP is up, 'secureConnect' after the handshake.
    socket.once('connect', () => {
      setup.trace.describe(
        `${socket.remoteAddress ?? options.host}:${socket.remotePort ?? options.port}`,
      );
      setup.trace.enter(options.secure ? 'tls' : 'greeting');
      if (!options.secure) onConnect();
    });
    return socket as ImapTransportSocket;
  },
  upgrade(socket, options, onSecure) {
    setup.trace.enter('tls', 'STARTTLS');
    return startTls({ socket: socket as net.Socket }, options, setup, () => {
      setup.trace.enter('authenticate');
      onSecure();
    }) as ImapTransportSocket;
  },
});
