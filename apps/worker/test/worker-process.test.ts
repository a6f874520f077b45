import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const workerMain = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts the real worker on a fresh data folder and resolves once its health URL is logged. */
async function startWorkerProcess(): Promise<{
  child: ChildProcess;
  healthUrl: string;
  output: () => string;
}> {
  const dataDir = await mkdtemp(join(tmpdir(), 'mailroom-worker-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), workerMain], {
    env: {
      PATH: process.env.PATH,
      MAILROOM_DATA_DIR: dataDir,
      MAILROOM_WORKER_HEALTH_PORT: '0',
      MAILROOM_WORKER_ID: 'test-worker',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const healthUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker did not report health in time:\n${output}`)),
      25_000,
    );
    const onData = () => {
      for (const line of output.split('\n')) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'health endpoint listening' && entry.url) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before it was healthy:\n${output}`));
    });
  });
  return { child, healthUrl, output: () => output };
}

const exitCode = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => child.once('exit', (code) => resolve(code)));

describe('the worker process', () => {
  it('answers /healthz, serves metrics, and exits 0 within seconds of SIGTERM', async () => {
    const { child, healthUrl, output } = await startWorkerProcess();

    const health = await fetch(`${healthUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', workerId: 'test-worker' });

    const metrics = await fetch(`${healthUrl}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('mailroom_worker_process_cpu_seconds_total');
    expect(text).toContain('mailroom_worker_engine_running{worker_id="test-worker"} 1');
    expect(text).toContain('# TYPE mailroom_ingest_messages_total counter');

    // Nobody migrated this fresh database, so the worker must not claim to be ready.
    const ready = await fetch(`${healthUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('content-type')).toBe('application/problem+json');
    expect(((await ready.json()) as { code: string }).code).toBe('health.migrations_pending');

    const exited = exitCode(child);
    const sentAt = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - sentAt).toBeLessThan(5000);
    expect(output()).toContain('"msg":"stopped"');
  });

  it('exits 78 and names the variable when the configuration is invalid', async () => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), workerMain], {
      env: { PATH: process.env.PATH, MAILROOM_WORKER_HEALTH_PORT: 'not-a-port' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitCode(child)).toBe(78);
    expect(stderr).toContain(
      'MAILROOM_WORKER_HEALTH_PORT: must be a whole number between 0 and 65535',
    );
  });
});
