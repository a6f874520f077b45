/**
 * `pnpm mailroom test-connection`, run through the command's run() with captured streams
 * against the private Dovecot. The command lives in apps/api; it is tested here, next to the
 * code it calls, through its file path (a test-only import).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDovecot, type Dovecot } from '@mailroom/testkit';
import { testConnectionCommand } from '../../../../apps/api/src/cli/commands/test-connection';
import { expectNoSecrets } from '../support/mail-test-support';

const PASSWORD = 'Cli-Pass-5e6f';
let dovecot: Dovecot;
let dir: string;
const outputs: string[] = [];

const capture = () => {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
};

const run = async (args: string[]) => {
  const stdout = capture();
  const stderr = capture();
  const code = await testConnectionCommand.run(args, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: {},
  });
  outputs.push(stdout.text(), stderr.text());
  return { code, stdout: stdout.text(), stderr: stderr.text() };
};

beforeAll(async () => {
  dovecot = await startDovecot({ users: { support: PASSWORD } });
  await dovecot.createFolder('support', 'Tickets');
  dir = await mkdtemp(join(tmpdir(), 'mailroom-cli-'));
  await writeFile(join(dir, 'password'), `${PASSWORD}\n`);
  await writeFile(join(dir, 'wrong'), 'Not-The-Password-1\n');
  await writeFile(join(dir, 'ca.pem'), dovecot.certPem);
});
afterAll(async () => {
  expectNoSecrets(outputs, [PASSWORD, 'Not-The-Password-1']);
  await dovecot?.stop();
  await rm(dir, { recursive: true, force: true });
});

const base = () => ['--host', dovecot.host, '--user', 'support'];

describe('mailroom test-connection', () => {
  it('prints one JSON object and exits 0 when the connection works', async () => {
    const { code, stdout } = await run([
      ...base(),
      '--port',
      String(dovecot.imapsPort),
      '--tls',
      'implicit',
      '--password-file',
      join(dir, 'password'),
      '--ca-file',
      join(dir, 'ca.pem'),
      '--json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(true);
    expect(report.steps.map((step: { name: string }) => step.name)).toEqual([
      'resolve',
      'connect',
      'tls',
      'greeting',
      'authenticate',
      'list_folders',
    ]);
    expect(report.capabilities.IDLE).toBe(true);
    expect(report.folders.map((folder: { path: string }) => folder.path)).toEqual([
      'INBOX',
      'Tickets',
    ]);
    expect(report.error).toBeUndefined();
    expect(stdout.trim().split('\n')).toHaveLength(1);
  });

  it('prints readable steps without --json', async () => {
    const { code, stdout } = await run([
      ...base(),
      '--port',
      String(dovecot.imapPort),
      '--tls',
      'starttls',
      '--password-file',
      join(dir, 'password'),
      '--trust-self-signed',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/ok\s+tls\s+\d+ ms\s+STARTTLS/);
    expect(stdout).toContain('Tickets');
    expect(stdout).toContain('Connection works');
  });

  it('exits 1 with error.code and error.message when the login is refused', async () => {
    const { code, stdout } = await run([
      ...base(),
      '--port',
      String(dovecot.imapPort),
      '--tls',
      'none',
      '--password-file',
      join(dir, 'wrong'),
      '--json',
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(false);
    expect(report.error.code).toBe('mail.auth_failed');
    expect(report.error.message).toContain('support');
  });

  it('exits 1 for an untrusted certificate and says how to trust it', async () => {
    const { code, stdout } = await run([
      ...base(),
      '--port',
      String(dovecot.imapsPort),
      '--tls',
      'implicit',
      '--password-file',
      join(dir, 'password'),
      '--timeout-ms',
      '3000',
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain('mail.tls_untrusted_certificate');
    expect(stdout).toMatch(/self-signed/);
  });

  it('exits 2 with the usage for missing or conflicting arguments', async () => {
    const missing = await run([
      '--host',
      'x',
      '--tls',
      'implicit',
      '--user',
      'u',
      '--password-file',
      'p',
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--port is required');
    expect(missing.stderr).toContain('Usage: mailroom test-connection');
    const both = await run([...base(), '--port', '993', '--tls', 'implicit']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('exactly one of --password-file or --oauth-settings');
    const badTls = await run([...base(), '--port', '993', '--tls', 'ssl', '--password-file', 'p']);
    expect(badTls.code).toBe(2);
    expect(badTls.stderr).toContain('tls');
    const unreadable = await run([
      ...base(),
      '--port',
      '993',
      '--tls',
      'implicit',
      '--password-file',
      join(dir, 'missing'),
    ]);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain('cannot read the password file');
  });
});
