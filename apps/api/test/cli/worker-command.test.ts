import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorkerCommand } from '../../src/cli/commands/worker';
import { LogSink } from '../support';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'mailroom-cli-worker-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('mailroom worker', () => {
  it('runs the worker as a child process, passes the stop signal on and returns its exit code', async () => {
    const out = new LogSink();
    const err = new LogSink();
    let stop: (signal: string) => void = () => {};
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const exit = createWorkerCommand({ waitForStop: () => stopped }).run([], {
      stdout: out,
      stderr: err,
      env: {
        PATH: process.env.PATH,
        MAILROOM_DATA_DIR: dataDir,
        MAILROOM_WORKER_HEALTH_PORT: '0',
        MAILROOM_WORKER_ID: 'cli-worker',
      },
    });

    const healthUrl = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        // Read the whole output: a piped log line may arrive in several chunks.
        const match = /"url":"(http:[^"]+)","msg":"health endpoint listening"/.exec(
          out.lines.join(''),
        );
        if (match?.[1]) {
          clearInterval(timer);
          resolve(match[1]);
        }
      }, 50);
      void exit.then((code) => {
        clearInterval(timer);
        reject(new Error(`worker exited with ${code}: ${err.text}${out.text}`));
      });
    });
    const health = await fetch(`${healthUrl}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', workerId: 'cli-worker' });

    stop('SIGTERM');
    expect(await exit).toBe(0);
    expect(out.text).toContain('"msg":"stopped"');
  });

  it('returns the worker’s configuration exit code without starting anything', async () => {
    const err = new LogSink();
    const code = await createWorkerCommand({ waitForStop: () => new Promise(() => {}) }).run([], {
      stdout: new LogSink(),
      stderr: err,
      env: { PATH: process.env.PATH, MAILROOM_DATA_DIR: dataDir, MAILROOM_LOG_LEVEL: 'loud' },
    });
    expect(code).toBe(78);
    expect(err.text).toContain('MAILROOM_LOG_LEVEL: must be one of');
  });
});
