/**
 * PGlite has no lock of its own: two processes opening one data folder both
 * "work" and corrupt it (e.g. `mailroom user create` while `mailroom start`
 * runs). A lock file beside the folder, holding host name and pid, turns that
 * into a clear error. A lock left by a dead process (same host, pid gone, or
 * our own pid reused after a container restart) is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { MailroomError } from '@mailroom/domain';

interface LockOwner {
  pid: number;
  host: string;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readOwner = (path: string): LockOwner | null => {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string'
      ? { pid: parsed.pid, host: parsed.host }
      : null;
  } catch {
    return null;
  }
};

export const lockPathFor = (dataDir: string): string => `${resolve(dataDir)}.lock`;

/** Takes the lock or throws `db.data_dir_in_use`; returns the function that gives it back. */
export const lockDataDir = (dataDir: string): (() => void) => {
  const path = lockPathFor(dataDir);
  const me: LockOwner = { pid: process.pid, host: hostname() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return () => {
        const owner = readOwner(path);
        if (owner !== null && owner.pid === me.pid && owner.host === me.host) {
          try {
            unlinkSync(path);
          } catch {
            // Already gone: nothing to give back.
          }
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(path);
    const stale =
      owner === null || (owner.host === me.host && (owner.pid === me.pid || !isAlive(owner.pid)));
    if (!stale) {
      throw new MailroomError(
        'db.data_dir_in_use',
        `The embedded database in ${resolve(dataDir)} is in use by process ${owner.pid} on ${owner.host}. ` +
          `Stop that process first (or delete ${path} if it is certainly gone), or use PostgreSQL to share one database.`,
        { kind: 'conflict', details: { lockPath: path, pid: owner.pid, host: owner.host } },
      );
    }
    try {
      unlinkSync(path);
    } catch {
      // Someone else removed it first; try again.
    }
  }
  throw new MailroomError('db.data_dir_in_use', `Could not lock ${path}; try again.`, {
    kind: 'conflict',
  });
};
