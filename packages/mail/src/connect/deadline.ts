/**
 * One budget for a whole connection attempt. imapflow's own timers each cover one phase
 * (connectionTimeout: TCP+TLS; greetingTimeout; socketTimeout: silence), so a server that
 * answers slowly in every phase could exceed the configured timeout several times over. This
 * deadline runs across all phases and, when it expires, destroys the attempt's socket.
 */

export interface Deadline {
  /** Resolves or rejects with `work`, or rejects with `onExpire()`'s error once the budget is spent. */
  race<T>(work: Promise<T>): Promise<T>;
  remainingMs(): number;
  clear(): void;
}

export const startDeadline = (ms: number, onExpire: () => Error): Deadline => {
  const startedAt = performance.now();
  let expiredWith: Error | null = null;
  const waiting = new Set<(error: Error) => void>();
  const timer = setTimeout(() => {
    expiredWith = onExpire();
    for (const reject of waiting) reject(expiredWith);
    waiting.clear();
  }, ms);
  return {
    race<T>(work: Promise<T>): Promise<T> {
      // The losing side of the race must never become an unhandled rejection.
      work.catch(() => {});
      if (expiredWith !== null) return Promise.reject(expiredWith);
      return new Promise<T>((resolve, reject) => {
        waiting.add(reject);
        work.then(
          (value) => {
            waiting.delete(reject);
            resolve(value);
          },
          (error: unknown) => {
            waiting.delete(reject);
            reject(error);
          },
        );
      });
    },
    remainingMs: () => Math.max(0, ms - (performance.now() - startedAt)),
    clear: () => {
      clearTimeout(timer);
      waiting.clear();
    },
  };
};
