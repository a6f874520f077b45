/*
 * One private temp folder per service instance, so parallel vitest workers never
 * share sockets, logs or data. Removal is forced and tolerant: stop() must not fail
 * because a daemon already deleted a pid file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `mailroom-${prefix}-`));
}

export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true, maxRetries: 3 });
}
