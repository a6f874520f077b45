/**
 * What the admin e2e test drives: a fresh build of this app, the real
 * `mailroom` CLI (user create, then start) on a temp PGlite data folder, and
 * Debian's Chromium through playwright-core. A missing Chromium fails the run
 * with one line saying what to install; it never skips.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { build } from 'vite';

export const CHROMIUM_PATH = '/usr/bin/chromium';
const adminRoot = fileURLToPath(new URL('../..', import.meta.url));
const cliMain = fileURLToPath(new URL('../../../api/src/cli/main.ts', import.meta.url));

export function requireChromium(): string {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
  } catch {
    throw new Error(
      `${CHROMIUM_PATH} is missing: install the Debian package "chromium" (apt-get install -y chromium); the admin e2e test needs it`,
    );
  }
  return CHROMIUM_PATH;
}

/** Builds the app into dist/; run once per test run by the global setup. */
export async function buildAdminApp(): Promise<string> {
  await build({ root: adminRoot, logLevel: 'warn', configFile: join(adminRoot, 'vite.config.ts') });
  return adminDistDir;
}

/** Where the global setup's build is; every test file's server serves it. */
export const adminDistDir = join(adminRoot, 'dist');

/** Runs `pnpm mailroom <args>` (the CLI file, through tsx) to completion. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), cliMain, ...args],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

export interface RunningMailroom {
  url: string;
  child: ChildProcess;
  output: () => string;
  stop(): Promise<number | null>;
}

/** `pnpm mailroom start` as a child process; resolves once it prints its address. */
export function startMailroom(env: NodeJS.ProcessEnv): Promise<RunningMailroom> {
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), cliMain, 'start'],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`mailroom start did not come up:\n${output}`)),
      60_000,
    );
    child.stdout?.on('data', () => {
      const match = /Mailroom is running at (\S+)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve({
        url: match[1],
        child,
        output: () => output,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`mailroom start exited with ${code}:\n${output}`));
    });
  });
}

export async function openBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const executablePath = requireChromium();
  const profileDir = await mkdtemp(join(tmpdir(), 'mailroom-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}

export async function makeDataDir(): Promise<{
  dir: string;
  passwordFile: (password: string) => Promise<string>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'mailroom-admin-e2e-'));
  return {
    dir,
    passwordFile: async (password) => {
      const file = join(dir, 'admin-password');
      await writeFile(file, `${password}\n`, { mode: 0o600 });
      return file;
    },
  };
}
