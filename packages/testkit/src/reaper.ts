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

const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/** `cleanup` is a list of argv arrays, run in order once `ownerPid` has exited. */
export function armReaper(cleanup: readonly (readonly string[])[], ownerPid = process.pid): Reaper {
  const script = [
    `tail --pid=${ownerPid} -s 0.5 -f /dev/null`,
    ...cleanup.map((argv) => argv.map(shellQuote).join(' ') + ' >/dev/null 2>&1'),
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
