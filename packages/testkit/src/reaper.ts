/*
 * Daemonised services (postgres, dovecot) outlive a test process that is killed
 * without running its teardown. A reaper is a detached shell that waits for the owning
 * process to disappear and then runs the service's cleanup command, so no cluster or
 * temp folder leaks. A clean stop() disarms the reaper first; the reaper must never
 * touch anything but the service it was armed for.
 */
import { spawn } from 'node:child_process';

export interface Reaper {
  disarm(): void;
}

export const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * `cleanup` is run in order once `ownerPid` has exited: each entry an argv array, or a
 * `{ shell }` snippet when it needs expansion (e.g. a pid read from a file).
 */
export function armReaper(
  cleanup: readonly (readonly string[] | { shell: string })[],
  ownerPid = process.pid,
): Reaper {
  const script = [
    `tail --pid=${ownerPid} -s 0.5 -f /dev/null`,
    ...cleanup.map(
      (step) =>
        ('shell' in step ? step.shell : step.map(shellQuote).join(' ')) + ' >/dev/null 2>&1',
    ),
  ].join('; ');
  const child = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  child.unref();
  let armed = true;
  return {
    disarm() {
      if (!armed || child.pid === undefined) return;
      armed = false;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}
