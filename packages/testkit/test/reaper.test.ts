import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/start-postgres-and-hang.ts', import.meta.url));

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

describe('reaper', () => {
  it('removes a cluster whose owning process was killed without stopping it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let buffer = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        if (buffer.includes('\n')) resolve(buffer.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    const { dir } = JSON.parse(line) as { dir: string };
    expect(existsSync(dir)).toBe(true);
    child.kill('SIGKILL');
    expect(await waitFor(() => !existsSync(dir), 10_000)).toBe(true);
  });
});
