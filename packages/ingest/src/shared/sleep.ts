/**
 * Abortable waiting. Every wait in the engine goes through here so that a stop
 * (SIGTERM, lost lease, settings change) ends it at once instead of after a
 * backoff or cool-off that may last minutes.
 */

/** Resolves after `ms` or as soon as `signal` aborts; never rejects. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.min(ms, 2_147_000_000));
    signal?.addEventListener('abort', done, { once: true });
  });

/** Resolves when `signal` aborts. */
export const untilAborted = (signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
