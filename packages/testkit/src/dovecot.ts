/*
 * A private Dovecot IMAP server per test file: its own config, certificate, users,
 * Maildirs and log in a temp folder, listening only on 127.0.0.1 ports chosen at start.
 * Helpers seed and inspect mailboxes the way a test needs (real IMAP APPEND, direct
 * Maildir bulk loads, doveadm queries) without appearing in the login counts tests
 * assert on. It must never touch the system Dovecot (/etc/dovecot, /run/dovecot).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rename, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { renderDovecotConfig, renderOauth2Args, renderUsersDict } from './dovecot-config';
import { freePorts } from './ports';
import { requireBinary, run, runDaemon } from './process';
import { armReaper, shellQuote } from './reaper';
import { makeTempDir, removeDir } from './temp-dir';
import { createSelfSignedCertificate } from './tls';

const DOVECOT = '/usr/sbin/dovecot';
const DOVEADM = '/usr/bin/doveadm';
const MAIL_UID = 8;
const MAIL_GID = 8;
const HELPER_MASTER = 'mailroom-testkit';

export interface StartDovecotOptions {
  /** Users created before the server starts: `{ alice: 'secret' }`. */
  users?: Record<string, string>;
  /**
   * Adds a second passdb (`driver = oauth2`) that validates tokens by POSTing `token=…` to
   * `introspectionUrl` (e.g. `entra.introspectionUrl`). `mechanisms` defaults to XOAUTH2 +
   * OAUTHBEARER (imapflow then picks OAUTHBEARER). With `only`, the server offers no
   * password mechanism (LOGINDISABLED) and by default only XOAUTH2, like Office 365.
   */
  oauth2?: {
    introspectionUrl: string;
    only?: boolean;
    mechanisms?: readonly ('xoauth2' | 'oauthbearer')[];
  };
  /** Extra top-level dovecot.conf settings, e.g. `{ imap_idle_notify_interval: '1 secs' }`. */
  settings?: Record<string, string | number>;
}

export type TlsMode = 'implicit' | 'starttls' | 'none';

export interface MessageFlagsInput {
  /** IMAP system flags such as `\\Seen`; stored in the Maildir file name. */
  flags?: string[];
  /** The message's INTERNALDATE (the file's mtime). */
  internalDate?: Date;
}

export type BulkMail = Buffer | string | ({ raw: Buffer | string } & MessageFlagsInput);

export interface FolderStatus {
  messages: number;
  unseen: number;
  uidNext: number;
  uidValidity: number;
  highestModseq: number;
}

export interface StoredMessage {
  uid: number;
  flags: string[];
  messageId: string;
}

export interface LoginRecord {
  /** `true` for a completed login, `false` for a connection that ended without one. */
  success: boolean;
  user: string;
  method: string | undefined;
  tls: boolean;
  port: number;
  line: string;
}

export interface Dovecot {
  readonly host: '127.0.0.1';
  /** Plain IMAP with STARTTLS offered. */
  readonly imapPort: number;
  /** Implicit TLS (IMAPS). */
  readonly imapsPort: number;
  /** PEM of the self-signed server certificate (CN=localhost, SAN localhost + 127.0.0.1). */
  readonly certPem: string;
  readonly certPath: string;
  readonly dir: string;
  readonly configPath: string;
  readonly logPath: string;
  readonly running: boolean;
  addUser(name: string, password: string): Promise<void>;
  setPassword(name: string, password: string): Promise<void>;
  removeUser(name: string): Promise<void>;
  /** ImapFlow options for `user`: trusts the certificate, logging off. */
  imapOptions(
    user: string,
    auth: { password: string } | { accessToken: string },
    tls?: TlsMode,
  ): ImapFlowOptions;
  createFolder(user: string, path: string): Promise<void>;
  deleteFolder(user: string, path: string): Promise<void>;
  /** IMAP APPEND (so IDLE clients see it arrive); returns the new UID. */
  append(
    user: string,
    folder: string,
    raw: Buffer | string,
    flags?: string[],
    internalDate?: Date,
  ): Promise<number>;
  /** Writes Maildir files directly (thousands per second), then lets Dovecot index them. */
  bulkLoad(user: string, folder: string, mails: readonly BulkMail[]): Promise<void>;
  status(user: string, folder: string): Promise<FolderStatus>;
  messages(user: string, folder: string): Promise<StoredMessage[]>;
  setUidValidity(user: string, folder: string, uidValidity: number): Promise<void>;
  readLog(): Promise<string>;
  /** Logins and finished login-less connections (helpers excluded), oldest first. */
  logins(): Promise<LoginRecord[]>;
  countLogins(user?: string): Promise<number>;
  /** Connections seen by the login process; one that is still open without a login is not yet counted. */
  countConnections(): Promise<number>;
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /**
   * Stops the server and keeps all data: clients are cut off and the ports refuse
   * connections. Abrupt by default (like a crash); `{ graceful: true }` lets Dovecot say
   * BYE to its clients first (slower: 1-3 s).
   */
  pause(options?: { graceful?: boolean }): Promise<void>;
  /** Starts a paused server again on the same ports. */
  resume(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const SYSTEM_FLAGS: Record<string, string> = {
  '\\draft': 'D',
  '\\flagged': 'F',
  '\\answered': 'R',
  '\\seen': 'S',
  '\\deleted': 'T',
};

function checkName(kind: string, value: string): void {
  if (!value || /[\s:*\n\r]/.test(value))
    throw new Error(`invalid ${kind} for Dovecot: ${JSON.stringify(value)}`);
}

// A daemon's exited master stays a zombie until init reaps it, which can take seconds
// in a container: count a zombie as gone.
function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function parseLogins(log: string, helperPort: number): LoginRecord[] {
  const records: LoginRecord[] = [];
  for (const line of log.split('\n')) {
    if (!line.includes(' imap-login: ')) continue;
    const port = /lport=(\d+)/.exec(line);
    if (!port || Number(port[1]) === helperPort) continue;
    records.push({
      success: / imap-login: Info: Login: /.test(line),
      user: /user=<([^>]*)>/.exec(line)?.[1] ?? '',
      method: /method=([A-Z0-9-]+)/.exec(line)?.[1],
      tls: /\bTLS\b/.test(line),
      port: Number(port[1]),
      line,
    });
  }
  return records;
}

export async function startDovecot(options: StartDovecotOptions = {}): Promise<Dovecot> {
  requireBinary(DOVECOT, 'dovecot-imapd');
  requireBinary(DOVEADM, 'dovecot-core');
  const dir = await makeTempDir('dovecot');
  await chmod(dir, 0o755); // login (dovenull) and auth (dovecot) processes traverse it
  const configPath = join(dir, 'dovecot.conf');
  const logPath = join(dir, 'dovecot.log');
  const usersDir = join(dir, 'users');
  const usersDictPath = join(dir, 'users-dict.conf.ext');
  const mastersPath = join(dir, 'masters');
  const mailRoot = join(dir, 'mail');
  const masterPassword = randomBytes(12).toString('hex');

  const pidFile = join(dir, 'run', 'master.pid');
  // Dovecot's master and all its children share one process group (the master's pid).
  const reaper = armReaper([
    { shell: `kill -9 -$(cat ${shellQuote(pidFile)})` },
    ['rm', '-rf', dir],
  ]);
  const fail = async (error: unknown): Promise<never> => {
    reaper.disarm();
    await stopServer().catch(() => {});
    await removeDir(dir);
    throw error;
  };

  const doveadm = (args: string[], input?: Buffer) =>
    run(DOVEADM, ['-c', configPath, ...args], input === undefined ? {} : { input });

  const userFile = (name: string): string => join(usersDir, 'passdb', name);
  // Written atomically: Dovecot reads the file on every login attempt.
  const writeUser = async (name: string, password: string): Promise<void> => {
    checkName('user name', name);
    const temp = join(usersDir, `.${name}.${randomBytes(4).toString('hex')}`);
    await writeFile(temp, JSON.stringify({ password: `{PLAIN}${password}` }), { mode: 0o644 });
    await rename(temp, userFile(name));
  };

  const masterPid = (): number | undefined => {
    if (!existsSync(pidFile)) return undefined;
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  };

  let running = false;
  // Default is abrupt (SIGKILL to the whole process group): instant, and to clients it looks
  // like a crashed or unreachable server. A graceful `doveadm stop` sends "* BYE" to clients
  // but takes Dovecot 1-3 s.
  async function stopServer(graceful = false): Promise<void> {
    const pid = masterPid();
    if (graceful) await doveadm(['stop']).catch(() => {});
    else if (pid !== undefined) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (pid !== undefined) {
      const deadline = Date.now() + 10_000;
      while (pidAlive(pid) && Date.now() < deadline) await sleep(10);
    }
    // A stale pid that is still a zombie would make the next start refuse to run.
    await rm(pidFile, { force: true });
    running = false;
  }

  // The launcher binds the listeners, forks the master and exits; the master writes its
  // pid file a moment later. Waiting for it makes pause()/stop() able to wait for exit.
  async function startServer(): Promise<void> {
    await runDaemon(DOVECOT, ['-c', configPath], join(dir, 'startup.log'));
    running = true;
    const deadline = Date.now() + 10_000;
    while (masterPid() === undefined) {
      if (Date.now() > deadline) throw new Error(`Dovecot wrote no master.pid in ${dir}/run`);
      await sleep(10);
    }
  }

  try {
    await mkdir(mailRoot);
    await chown(mailRoot, MAIL_UID, MAIL_GID);
    const cert = await createSelfSignedCertificate(dir, 'dovecot');
    await chmod(cert.keyPath, 0o600);
    await writeFile(
      mastersPath,
      `${HELPER_MASTER}:{PLAIN.B64}${Buffer.from(masterPassword).toString('base64')}::::::\n`,
      { mode: 0o644 },
    );
    await mkdir(join(usersDir, 'passdb'), { recursive: true, mode: 0o755 });
    await chmod(usersDir, 0o755);
    await writeFile(usersDictPath, renderUsersDict(usersDir), { mode: 0o644 });
    for (const [name, password] of Object.entries(options.users ?? {}))
      await writeUser(name, password);
    let oauth2: { argsPath: string; only: boolean; mechanisms: readonly string[] } | undefined;
    if (options.oauth2) {
      const argsPath = join(dir, 'dovecot-oauth2.conf.ext');
      await writeFile(argsPath, renderOauth2Args(options.oauth2.introspectionUrl), { mode: 0o644 });
      const only = options.oauth2.only ?? false;
      const mechanisms =
        options.oauth2.mechanisms ?? (only ? ['xoauth2'] : ['xoauth2', 'oauthbearer']);
      if (mechanisms.length === 0)
        throw new Error('startDovecot: oauth2.mechanisms must not be empty');
      oauth2 = { argsPath, only, mechanisms };
    }

    // Probed ports can be taken before Dovecot binds them: retry with fresh ones.
    let ports: number[] = [];
    for (let attempt = 1; ; attempt += 1) {
      ports = await freePorts(3);
      const [imapPort, imapsPort, helperPort] = ports as [number, number, number];
      const config = renderDovecotConfig({
        dir,
        imapPort,
        imapsPort,
        helperPort,
        certPath: cert.certPath,
        keyPath: cert.keyPath,
        usersDictPath,
        mastersPath,
        logPath,
        mailRoot,
        ...(oauth2 ? { oauth2 } : {}),
        ...(options.settings ? { settings: options.settings } : {}),
      });
      await writeFile(configPath, config, { mode: 0o644 });
      try {
        await startServer();
        break;
      } catch (error) {
        if (attempt >= 3 || !/in use/i.test(String(error))) throw error;
      }
    }
    const [imapPort, imapsPort, helperPort] = ports as [number, number, number];
    const xoauth2Only = oauth2?.only ?? false;

    const helperClient = async (user: string): Promise<ImapFlow> => {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port: helperPort,
        secure: false,
        doSTARTTLS: false,
        auth: { user: `${user}*${HELPER_MASTER}`, pass: masterPassword },
        logger: false,
        disableAutoIdle: true,
      });
      await client.connect();
      return client;
    };

    const ensureFolder = async (user: string, folder: string): Promise<void> => {
      if (folder.toUpperCase() === 'INBOX') {
        await doveadm(['mailbox', 'status', '-u', user, 'messages', 'INBOX']);
        return;
      }
      await doveadm(['mailbox', 'create', '-s', '-u', user, folder]).catch((error: unknown) => {
        if (!/exists/i.test(String(error))) throw error;
      });
    };

    let fileCounter = 0;
    const dovecot: Dovecot = {
      host: '127.0.0.1',
      imapPort,
      imapsPort,
      certPem: cert.certPem,
      certPath: cert.certPath,
      dir,
      configPath,
      logPath,
      get running() {
        return running;
      },

      addUser: writeUser,
      async setPassword(name, password) {
        if (!existsSync(userFile(name))) throw new Error(`no such Dovecot user: ${name}`);
        await writeUser(name, password);
      },
      async removeUser(name) {
        checkName('user name', name);
        await rm(userFile(name), { force: true });
      },

      imapOptions(user, auth, tls = 'implicit') {
        return {
          host: '127.0.0.1',
          port: tls === 'implicit' ? imapsPort : imapPort,
          secure: tls === 'implicit',
          doSTARTTLS: tls === 'starttls',
          tls: { ca: [cert.certPem] },
          auth:
            'accessToken' in auth
              ? { user, accessToken: auth.accessToken }
              : { user, pass: auth.password },
          logger: false,
        };
      },

      async createFolder(user, path) {
        await doveadm(['mailbox', 'create', '-s', '-u', user, path]);
      },
      async deleteFolder(user, path) {
        await doveadm(['mailbox', 'delete', '-r', '-s', '-u', user, path]);
      },

      async append(user, folder, raw, flags = [], internalDate) {
        if (xoauth2Only) {
          // No password mechanism is offered in this mode, so seed through doveadm (still
          // a real delivery: IDLE clients are notified the same way).
          await ensureFolder(user, folder);
          const before = await dovecot.status(user, folder);
          await doveadm(['save', '-u', user, '-m', folder], Buffer.from(raw));
          return before.uidNext;
        }
        const client = await helperClient(user);
        try {
          const result = await client.append(folder, raw, flags, internalDate);
          if (!result || result.uid === undefined)
            throw new Error(`APPEND to ${folder} returned no UID`);
          return result.uid;
        } finally {
          await client.logout().catch(() => client.close());
        }
      },

      async bulkLoad(user, folder, mails) {
        await ensureFolder(user, folder);
        const { stdout } = await doveadm(['mailbox', 'path', '-u', user, folder]);
        const path = stdout.trim();
        const seconds = Math.floor(Date.now() / 1000);
        const tag = `${process.pid}_${randomBytes(3).toString('hex')}`;
        // Dovecot gives new files UIDs in the order of the <secs>.M<usecs> in their names,
        // so the position in `mails` becomes the microsecond part.
        const writes = mails.map(async (mail, index) => {
          const item = Buffer.isBuffer(mail) || typeof mail === 'string' ? { raw: mail } : mail;
          const body = Buffer.isBuffer(item.raw) ? item.raw : Buffer.from(item.raw);
          fileCounter += 1;
          const base = `${seconds}.M${index}P${tag}Q${fileCounter}.mailroom,S=${body.length}`;
          const letters = (item.flags ?? [])
            .map((flag) => SYSTEM_FLAGS[flag.toLowerCase()])
            .filter((letter): letter is string => letter !== undefined)
            .sort()
            .join('');
          const file = item.flags?.length
            ? join(path, 'cur', `${base}:2,${letters}`)
            : join(path, 'new', base);
          await writeFile(file, body);
          await chown(file, MAIL_UID, MAIL_GID);
          if (item.internalDate) await utimes(file, item.internalDate, item.internalDate);
        });
        for (let i = 0; i < writes.length; i += 256) await Promise.all(writes.slice(i, i + 256));
        // Any mailbox access makes Dovecot scan new/ + cur/ and assign UIDs now.
        await doveadm(['mailbox', 'status', '-u', user, 'messages', folder]);
      },

      async status(user, folder) {
        const { stdout } = await doveadm([
          '-f', 'json', 'mailbox', 'status', '-u', user,
          'messages unseen uidnext uidvalidity highestmodseq', folder,
        ]); // prettier-ignore
        const [row] = JSON.parse(stdout) as Record<string, string>[];
        if (!row) throw new Error(`no status for ${user}/${folder}`);
        return {
          messages: Number(row.messages),
          unseen: Number(row.unseen),
          uidNext: Number(row.uidnext),
          uidValidity: Number(row.uidvalidity),
          highestModseq: Number(row.highestmodseq),
        };
      },

      async messages(user, folder) {
        const { stdout } = await doveadm([
          '-f', 'json', 'fetch', '-u', user, 'uid flags hdr.message-id', 'mailbox', folder, 'all',
        ]); // prettier-ignore
        const rows = JSON.parse(stdout || '[]') as Record<string, string>[];
        return rows.map((row) => ({
          uid: Number(row.uid),
          flags: (row.flags ?? '').split(' ').filter(Boolean),
          messageId: (row['hdr.message-id'] ?? '').trim(),
        }));
      },

      async setUidValidity(user, folder, uidValidity) {
        await doveadm([
          'mailbox',
          'update',
          '-u',
          user,
          '--uid-validity',
          String(uidValidity),
          folder,
        ]);
      },

      readLog: () => readFile(logPath, 'utf8').catch(() => ''),
      async logins() {
        return parseLogins(await dovecot.readLog(), helperPort);
      },
      async countLogins(user) {
        return (await dovecot.logins()).filter(
          (r) => r.success && (user === undefined || r.user === user),
        ).length;
      },
      async countConnections() {
        return (await dovecot.logins()).length;
      },
      async waitForLog(pattern, timeoutMs = 5_000) {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const line = (await dovecot.readLog()).split('\n').find((l) => pattern.test(l));
          if (line !== undefined) return line;
          if (Date.now() > deadline)
            throw new Error(`no Dovecot log line matched ${pattern} within ${timeoutMs} ms`);
          await sleep(50);
        }
      },

      async pause(pauseOptions) {
        if (running) await stopServer(pauseOptions?.graceful ?? false);
      },
      async resume() {
        if (!running) await startServer();
      },
      async restart() {
        await dovecot.pause();
        await dovecot.resume();
      },
      async stop() {
        reaper.disarm();
        await stopServer();
        await removeDir(dir);
      },
    };
    return dovecot;
  } catch (error) {
    return fail(error);
  }
}
