import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiCommand } from '../../src/cli/commands/api';
import { createStartCommand } from '../../src/cli/commands/start';
import { commands } from '../../src/cli/commands/index';
import type { CliIo } from '../../src/cli/command';
import { run } from '../../src/cli/run';
import { LogSink, makeAdminDist } from '../support';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mailroom-cli-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function io(env: Record<string, string> = {}): CliIo & { out: LogSink; err: LogSink } {
  const out = new LogSink();
  const err = new LogSink();
  return {
    stdout: out,
    stderr: err,
    env: { MAILROOM_DATA_DIR: dataDir, MAILROOM_LOG_LEVEL: 'warn', ...env },
    out,
    err,
  };
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('mailroom help', () => {
  it('lists every command with its summary', async () => {
    const streams = io();
    expect(await run(['help'], streams, commands)).toBe(0);
    for (const name of ['start', 'api', 'worker', 'migrate', 'user create', 'key create', 'help']) {
      expect(streams.out.text).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    }
  });

  it('shows one command’s usage with `help <command>` and with --help', async () => {
    const streams = io();
    expect(await run(['help', 'user', 'create'], streams, commands)).toBe(0);
    expect(streams.out.text).toContain('Usage: mailroom user create --email <email>');
    const again = io();
    expect(await run(['key', 'create', '--help'], again, commands)).toBe(0);
    expect(again.out.text).toContain('Usage: mailroom key create --name <name>');
  });

  it('exits 2 on an unknown command and prints the list', async () => {
    const streams = io();
    expect(await run(['frobnicate'], streams, commands)).toBe(2);
    expect(streams.err.text).toContain('Unknown command "frobnicate"');
    expect(streams.err.text).toContain('Commands:');
  });
});

describe('mailroom migrate, user create, key create', () => {
  it('migrates the embedded database in the data folder', async () => {
    const streams = io();
    expect(await run(['migrate'], streams, commands)).toBe(0);
    expect(streams.out.text).toContain(
      `Migrations applied to embedded PGlite in ${join(dataDir, 'pglite')}`,
    );
    expect((await stat(join(dataDir, 'pglite'))).isDirectory()).toBe(true);
  });

  it('exits 78 and lists each bad variable when the configuration is invalid', async () => {
    const streams = io({ MAILROOM_PORT: 'x', DATABASE_URL: 'mysql://nope' });
    expect(await run(['migrate'], streams, commands)).toBe(78);
    expect(streams.err.text).toContain('Invalid configuration (2 problems)');
    expect(streams.err.text).toContain(
      '  - DATABASE_URL: must be a postgres:// or postgresql:// URL',
    );
    expect(streams.err.text).toContain(
      '  - MAILROOM_PORT: must be a whole number between 0 and 65535',
    );
  });

  it('creates a user with a generated password printed once, and refuses a duplicate', async () => {
    const streams = io();
    const args = [
      'user',
      'create',
      '--email',
      'Agent@Example.test',
      '--name',
      'Ada Agent',
      '--role',
      'agent',
    ];
    expect(await run(args, streams, commands)).toBe(0);
    expect(streams.out.text).toMatch(/^Created agent agent@example\.test \(id [0-9a-f-]{36}\)\.$/m);
    expect(streams.out.text).toMatch(
      /^Password \(shown this once; store it now\): [a-km-zA-HJ-NP-Z2-9]{24}$/m,
    );

    const duplicate = io();
    expect(await run(args, duplicate, commands)).toBe(1);
    expect(duplicate.err.text).toContain(
      'A user with the email agent@example.test exists already.',
    );
  });

  it('reads the password from --password-file and prints no password', async () => {
    const file = join(dataDir, 'password.txt');
    await writeFile(file, 'from-a-file-password\n');
    const streams = io();
    const code = await run(
      [
        'user',
        'create',
        '--email',
        'admin2@example.test',
        '--name',
        'Second Admin',
        '--role',
        'admin',
        '--password-file',
        file,
      ],
      streams,
      commands,
    );
    expect(code).toBe(0);
    expect(streams.out.text).toContain('Created admin admin2@example.test');
    expect(streams.out.text).not.toContain('Password');
  });

  it('exits 2 with the usage when a required option is missing or the role is wrong', async () => {
    const missing = io();
    expect(await run(['user', 'create', '--email', 'x@example.test'], missing, commands)).toBe(2);
    expect(missing.err.text).toContain('--name is required');
    expect(missing.err.text).toContain('Usage: mailroom user create');
    const badRole = io();
    expect(await run(['key', 'create', '--name', 'ci', '--role', 'root'], badRole, commands)).toBe(
      2,
    );
    expect(badRole.err.text).toContain('--role must be admin or agent');
    const unknownFlag = io();
    expect(await run(['migrate', '--force'], unknownFlag, commands)).toBe(2);
  });

  it('creates an API key, prints it once, with the agent role by default', async () => {
    const streams = io();
    expect(await run(['key', 'create', '--name', 'ci pipeline'], streams, commands)).toBe(0);
    expect(streams.out.text).toMatch(
      /^Created agent API key "ci pipeline" \(id [0-9a-f-]{36}\)\.$/m,
    );
    expect(streams.out.text).toMatch(
      /^Key \(shown this once; store it now\): mr_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}$/m,
    );
  });
});

describe('mailroom start', () => {
  /** Runs `start` until the returned stop() is called; resolves the URL once it listens. */
  async function startInProcess(env: Record<string, string>) {
    let stop: (reason: string) => void = () => {};
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const streams = io({ MAILROOM_PORT: '0', ...env });
    const command = createStartCommand({ waitForStop: () => stopped, createEngine: null });
    const exit = command.run([], streams);
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /Mailroom is running at (\S+)/.exec(streams.out.text);
        if (match?.[1]) {
          clearInterval(timer);
          resolve(match[1]);
        }
      }, 50);
      void exit.then((code) => {
        clearInterval(timer);
        reject(new Error(`start exited with ${code}: ${streams.err.text}`));
      });
    });
    return { url, streams, stop: async () => (stop('test'), exit) };
  }

  it('migrates, creates the first admin with a password printed once, serves, and stops with exit 0', async () => {
    const adminDistDir = await makeAdminDist();
    const env = {
      MAILROOM_ADMIN_EMAIL: 'Boss@Example.test',
      MAILROOM_ADMIN_DIST_DIR: adminDistDir,
    };
    const first = await startInProcess(env);
    expect(first.streams.out.text).toContain('Created the first admin account.');
    const password = /password: (\S+)/.exec(first.streams.out.text)?.[1] ?? '';
    expect(password).toHaveLength(24);
    expect((await stat(join(dataDir, 'secret.key'))).mode & 0o777).toBe(0o600);

    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${first.url}/`)).text()).toContain('Mailroom test shell');
    const login = await fetch(
      `${first.url}/api/v1/auth/login`,
      json({ email: 'boss@example.test', password }),
    );
    expect(login.status).toBe(200);
    expect(await first.stop()).toBe(0);

    // Restarting on the same data folder keeps the admin and prints no credentials.
    const second = await startInProcess(env);
    expect(second.streams.out.text).not.toContain('first admin');
    expect(second.streams.out.text).not.toContain(password);
    const again = await fetch(
      `${second.url}/api/v1/auth/login`,
      json({ email: 'boss@example.test', password }),
    );
    expect(again.status).toBe(200);
    expect(await second.stop()).toBe(0);
    await rm(adminDistDir, { recursive: true, force: true });
  });

  it('uses MAILROOM_ADMIN_PASSWORD for the first admin and never prints it', async () => {
    const started = await startInProcess({
      MAILROOM_ADMIN_EMAIL: 'owner@example.test',
      MAILROOM_ADMIN_PASSWORD: 'an-operator-chosen-password',
    });
    expect(started.streams.out.text).toContain(
      'Created the first admin owner@example.test with the password from MAILROOM_ADMIN_PASSWORD.',
    );
    expect(started.streams.out.text + started.streams.err.text).not.toContain(
      'an-operator-chosen-password',
    );
    const login = await fetch(
      `${started.url}/api/v1/auth/login`,
      json({ email: 'owner@example.test', password: 'an-operator-chosen-password' }),
    );
    expect(login.status).toBe(200);
    expect(await started.stop()).toBe(0);
  });

  it('refuses a production start without a secret key, before opening anything', async () => {
    const streams = io({ NODE_ENV: 'production', MAILROOM_PORT: '0' });
    const command = createStartCommand({
      waitForStop: () => new Promise(() => {}),
      createEngine: null,
    });
    expect(await command.run([], streams)).toBe(78);
    expect(streams.err.text).toContain('MAILROOM_SECRET_KEY: is required in production');
    await expect(stat(join(dataDir, 'pglite'))).rejects.toThrow(/ENOENT/);
  });

  it('`api` serves the same API without an engine and warns that the embedded database cannot be shared', async () => {
    let stop: (reason: string) => void = () => {};
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const streams = io({ MAILROOM_PORT: '0' });
    const exit = createApiCommand({ waitForStop: () => stopped }).run([], streams);
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /Mailroom is running at (\S+)/.exec(streams.out.text);
        if (match?.[1]) {
          clearInterval(timer);
          resolve(match[1]);
        }
      }, 50);
      void exit.then((code) => {
        clearInterval(timer);
        reject(new Error(`api exited with ${code}: ${streams.err.text}`));
      });
    });
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    expect(streams.err.text).toContain(
      'the embedded database cannot be shared with worker processes',
    );
    stop('test');
    expect(await exit).toBe(0);
  });
});
