/**
 * Readiness: the API can serve when the database answers and every migration
 * is applied. Each check is bounded by a timeout so a hung database makes
 * /readyz say "not ready" instead of hanging the probe.
 */
export interface ReadinessDatabase {
  ping(): Promise<unknown>;
  migrationsApplied(): Promise<boolean>;
}

export type Readiness =
  | { ready: true }
  | {
      ready: false;
      code: 'health.database_unreachable' | 'health.migrations_pending';
      reason: string;
    };

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });

export async function checkReadiness({
  database,
  timeoutMs = 3000,
}: {
  database: ReadinessDatabase;
  timeoutMs?: number;
}): Promise<Readiness> {
  try {
    await withTimeout(database.ping(), timeoutMs);
  } catch (error) {
    return {
      ready: false,
      code: 'health.database_unreachable',
      reason: `The database is not reachable: ${(error as Error).message}`,
    };
  }
  let applied: boolean;
  try {
    applied = await withTimeout(database.migrationsApplied(), timeoutMs);
  } catch (error) {
    return {
      ready: false,
      code: 'health.database_unreachable',
      reason: `The migration state could not be read: ${(error as Error).message}`,
    };
  }
  if (!applied) {
    return {
      ready: false,
      code: 'health.migrations_pending',
      reason: 'Database migrations are not applied yet; run `pnpm mailroom migrate`.',
    };
  }
  return { ready: true };
}
