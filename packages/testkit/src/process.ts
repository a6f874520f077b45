/*
 * Small wrappers around child processes shared by every service in the testkit.
 * They exist so a missing system binary fails with one actionable line (which Debian
 * package to install) instead of a bare ENOENT, and so every command's stderr ends up
 * in the thrown error. They must never swallow a failure or skip a service silently.
 */
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { open, readFile } from 'node:fs/promises';

export interface RunResult {
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  cwd?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/** Runs a command to completion; rejects with its stderr when it exits non-zero. */
export function run(
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      {
        cwd: options.cwd,
        env: options.env ?? process.env,
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error) {
          const detail = (stderr || stdout || error.message).trim();
          reject(new Error(`${[file, ...args].join(' ')} failed: ${detail}`, { cause: error }));
          return;
        }
        resolve({ stdout, stderr });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Throws one clear line naming the Debian package when a required binary is absent. */
export function requireBinary(path: string, debianPackage: string): string {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `${path} is missing: install the Debian package "${debianPackage}" (apt-get install -y ${debianPackage})`,
    );
  }
  return path;
}

/** True when this process runs as root (services then drop to their system users). */
export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Runs a command that daemonises (forks a server and exits). Its output goes to
 * `outputPath` rather than to pipes, because the daemon inherits the pipes and would keep
 * a pipe-reading caller waiting forever; waits for the launcher's own exit only.
 */
export async function runDaemon(
  file: string,
  args: readonly string[],
  outputPath: string,
): Promise<void> {
  const output = await open(outputPath, 'a');
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(file, args, { stdio: ['ignore', output.fd, output.fd] });
      child.once('error', reject);
      child.once('exit', (exitCode) => resolve(exitCode));
    });
    if (code !== 0) {
      const detail = (await readFile(outputPath, 'utf8').catch(() => ''))
        .trim()
        .split('\n')
        .slice(-5)
        .join(' | ');
      throw new Error(`${[file, ...args].join(' ')} exited with ${code}: ${detail}`);
    }
  } finally {
    await output.close();
  }
}
