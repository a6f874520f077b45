/**
 * Parent side of worker-child.ts: spawns it with tsx, parses its JSON lines,
 * and lets a test wait for an event, kill it by its PID, and await its exit.
 * Only processes started here are ever signalled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerChildConfig } from './worker-child';

export interface WorkerEvent {
  type: string;
  [key: string]: unknown;
}

export interface WorkerProcess {
  child: ChildProcess;
  events: WorkerEvent[];
  stderr: string[];
  waitForEvent(
    predicate: (event: WorkerEvent) => boolean,
    timeoutMs?: number,
  ): Promise<WorkerEvent>;
  kill(signal: NodeJS.Signals): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const childPath = fileURLToPath(new URL('./worker-child.ts', import.meta.url));

export const spawnWorker = (config: WorkerChildConfig): WorkerProcess => {
  const child = spawn(process.execPath, ['--import', 'tsx', childPath, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  const events: WorkerEvent[] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      try {
        events.push(JSON.parse(line) as WorkerEvent);
      } catch {
        stderr.push(`non-JSON stdout: ${line}`);
      }
      newline = buffered.indexOf('\n');
    }
    for (const wake of waiters) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString('utf8'));
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      for (const wake of waiters) wake();
      resolve({ code, signal });
    });
  });
  return {
    child,
    events,
    stderr,
    exited,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined)
        process.kill(child.pid, signal);
    },
    waitForEvent: (predicate, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        let index = 0;
        const check = () => {
          for (; index < events.length; index += 1) {
            const event = events[index]!;
            if (predicate(event)) {
              cleanup();
              resolve(event);
              return;
            }
          }
          if (child.exitCode !== null || child.signalCode !== null) {
            cleanup();
            reject(
              new Error(`worker exited before the event; stderr: ${stderr.join('').slice(-2000)}`),
            );
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(
              `no such worker event within ${timeoutMs} ms; stderr: ${stderr.join('').slice(-2000)}`,
            ),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
  };
};
