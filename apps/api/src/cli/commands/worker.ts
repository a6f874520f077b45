/**
 * `mailroom worker`: runs apps/worker/src/main.ts as a child process (the API
 * and worker never import each other). The child reads the same environment;
 * SIGINT/SIGTERM are passed on and the child's exit code becomes ours.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CliCommand, CliIo } from '../command';
import { guard, parseCommandArgs } from '../cli-support';
import { waitForTerminationSignal } from '../signals';

export const workerEntry = fileURLToPath(
  new URL('../../../../worker/src/main.ts', import.meta.url),
);

export function runWorkerProcess(io: CliIo, waitForStop: () => Promise<string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), workerEntry], {
      env: io.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(io.stdout, { end: false });
    child.stderr.pipe(io.stderr, { end: false });
    let exited = false;
    void waitForStop().then((signal) => {
      if (!exited) child.kill(signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      exited = true;
      resolve(code ?? (signal === 'SIGKILL' ? 137 : 128 + 15));
    });
  });
}

export function createWorkerCommand(
  deps: { waitForStop?: () => Promise<string> } = {},
): CliCommand {
  const usage = 'mailroom worker';
  return {
    name: 'worker',
    summary: 'Run one ingestion worker process (health and metrics on MAILROOM_WORKER_HEALTH_PORT)',
    usage,
    run: (args, io) =>
      guard(io, usage, async () => {
        parseCommandArgs(args, {});
        return runWorkerProcess(io, deps.waitForStop ?? waitForTerminationSignal);
      }),
  };
}

export const workerCommand = createWorkerCommand();
