/**
 * Servers that misbehave below IMAP: a listener that accepts TCP and never says anything, one
 * that greets and then never answers, and a closed port. They need no mail server, so they are
 * made here with net.createServer on 127.0.0.1.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailroomError } from '@mailroom/domain';
import { openImapSession, testConnection, type ImapEndpoint } from '../../src/index';

const MARGIN_MS = 500;

const listen = async (onConnection: (socket: net.Socket) => void) => {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    // Read (and ignore) what the client sends, so its FIN is noticed even after a ClientHello.
    socket.resume();
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    openSockets: () => sockets.size,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
};

type Server = Awaited<ReturnType<typeof listen>>;
let silent: Server;
let greetsThenStalls: Server;
let closedPort: number;
let noStarttls: Server;
const receivedByNoStarttls: string[] = [];

beforeAll(async () => {
  silent = await listen(() => {});
  greetsThenStalls = await listen((socket) =>
    socket.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n'),
  );
  // Answers like an IMAP server without STARTTLS: greeting, then CAPABILITY without it.
  noStarttls = await listen((socket) => {
    socket.write('* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n');
    socket.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\r\n').filter(Boolean)) {
        receivedByNoStarttls.push(line);
        const [tag, command] = line.split(' ');
        if (command?.toUpperCase() === 'CAPABILITY') {
          socket.write(`* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK done\r\n`);
        } else {
          socket.write(`${tag} BAD not in this test\r\n`);
        }
      }
    });
  });
  const probe = await listen(() => {});
  closedPort = probe.port;
  await probe.close();
});
afterAll(async () => {
  await silent.close();
  await greetsThenStalls.close();
  await noStarttls.close();
});

const endpoint = (
  port: number,
  tls: ImapEndpoint['tls'],
  connectionTimeoutMs = 1000,
): ImapEndpoint => ({
  host: '127.0.0.1',
  port,
  tls,
  username: 'someone',
  trustSelfSigned: false,
  connectionTimeoutMs,
});

const failure = async (promise: Promise<unknown>) => {
  const started = performance.now();
  try {
    await promise;
  } catch (error) {
    return { error: error as MailroomError, ms: performance.now() - started };
  }
  throw new Error('expected a failure');
};

describe('the connection timeout bounds every phase', () => {
  it.each([
    ['implicit', 'tls'],
    ['starttls', 'greeting'],
    ['none', 'greeting'],
  ] as const)(
    'a server that accepts TCP and never answers fails with timeout (%s TLS, phase %s) within the configured ms',
    async (mode, phase) => {
      const { error, ms } = await failure(
        openImapSession(endpoint(silent.port, mode), { type: 'password', password: 'secret-pw-1' }),
      );
      expect(error.code).toBe('mail.timeout');
      expect(error.details.phase).toBe(phase);
      expect(ms).toBeGreaterThanOrEqual(950);
      expect(ms).toBeLessThan(1000 + MARGIN_MS);
      expect(error.message).toContain('1000 ms');
      expect(error.message).not.toContain('secret-pw-1');
    },
  );

  it('a server that greets and then never answers the login fails with timeout in the authenticate phase', async () => {
    const { error, ms } = await failure(
      openImapSession(endpoint(greetsThenStalls.port, 'none', 800), {
        type: 'password',
        password: 'secret-pw-2',
      }),
    );
    expect(error.code).toBe('mail.timeout');
    expect(error.details.phase).toBe('authenticate');
    expect(ms).toBeLessThan(800 + MARGIN_MS);
  });

  it('destroys the socket of a timed-out attempt', async () => {
    await failure(
      openImapSession(endpoint(silent.port, 'none', 500), {
        type: 'password',
        password: 'x-secret',
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(silent.openSockets()).toBe(0);
  });

  it('STARTTLS mode refuses a server that does not offer STARTTLS, before sending the password', async () => {
    const { error } = await failure(
      openImapSession(endpoint(noStarttls.port, 'starttls'), {
        type: 'password',
        password: 'never-sent-pw',
      }),
    );
    expect(error.code).toBe('mail.tls_protocol_mismatch');
    expect(error.message).toContain('does not offer STARTTLS');
    expect(receivedByNoStarttls.join('\n')).not.toMatch(/LOGIN|AUTHENTICATE|never-sent-pw/);
  });

  it('a closed port fails at once with connection_refused', async () => {
    const { error, ms } = await failure(
      openImapSession(endpoint(closedPort, 'implicit'), {
        type: 'password',
        password: 'pw-secret',
      }),
    );
    expect(error.code).toBe('mail.connection_refused');
    expect(error.details.phase).toBe('connect');
    expect(ms).toBeLessThan(500);
  });

  it('a host name that does not exist fails with dns_not_found in the resolve phase', async () => {
    const { error } = await failure(
      openImapSession(
        { ...endpoint(993, 'implicit'), host: 'no-such-host.invalid' },
        { type: 'password', password: 'pw-secret' },
      ),
    );
    expect(error.code).toBe('mail.dns_not_found');
    expect(error.details.phase).toBe('resolve');
  });

  it('Test Connection reports the steps up to the one that timed out', async () => {
    const report = await testConnection({
      connection: { ...endpoint(silent.port, 'none', 700), authType: 'password' },
      secrets: { password: 'secret-pw-3' },
    });
    expect(report.ok).toBe(false);
    expect(report.error?.code).toBe('mail.timeout');
    expect(report.steps.map((step) => [step.name, step.ok])).toEqual([
      ['resolve', true],
      ['connect', true],
      ['greeting', false],
    ]);
    expect(report.steps.at(-1)?.ms).toBeGreaterThanOrEqual(600);
    expect(JSON.stringify(report)).not.toContain('secret-pw-3');
  });
});
