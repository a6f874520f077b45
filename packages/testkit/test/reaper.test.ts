import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/start-and-hang.ts', import.meta.url));

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

/** Live (non-zombie) processes whose command line mentions `text`. */
function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (cmdline.includes(text) && !/^\d+ \(.*\) Z/.test(stat) && !cmdline.includes('tail'))
        pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

async function startInChild(service: string): Promise<{ dir: string; kill: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, service], {
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
  return { dir, kill: () => child.kill('SIGKILL') };
}

describe('reaper', () => {
  it.each(['postgres', 'dovecot'])(
    'removes a %s whose owning process was killed without stopping it',
    async (service) => {
      const { dir, kill } = await startInChild(service);
      expect(existsSync(dir)).toBe(true);
      expect(processesMentioning(dir).length).toBeGreaterThan(0);
      kill();
      expect(await waitFor(() => !existsSync(dir), 10_000)).toBe(true);
      expect(await waitFor(() => processesMentioning(dir).length === 0, 5_000)).toBe(true);
    },
  );
});
