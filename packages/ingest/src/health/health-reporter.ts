/**
 * Persists a mailbox's health (the worker's view, shown to admins) and keeps
 * the last report in memory for `engine.snapshot()`. Writes are guarded by the
 * lease owner, so a worker that lost a mailbox cannot overwrite its
 * successor's report. A failed write is logged, never thrown: health is a
 * report, and the next real database call will surface an outage anyway.
 */
import type { HealthPatch, Repositories } from '@mailroom/db';
import type { Logger } from 'pino';

export interface HealthView {
  state: NonNullable<HealthPatch['state']>;
  attempt: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  lastSyncAt: string | null;
  progress: { done: number; total: number } | null;
}

export interface HealthReporter {
  report(patch: HealthPatch): Promise<void>;
  /** Like report, but skips the write when the last one was less than `intervalMs` ago. */
  reportThrottled(patch: HealthPatch, intervalMs: number): Promise<void>;
  view(): HealthView;
}

const iso = (value: Date | string | null | undefined): string | null | undefined =>
  value === undefined ? undefined : value === null ? null : new Date(value).toISOString();

export const createHealthReporter = (input: {
  mailboxId: string;
  owner: string;
  mailboxes: Repositories['mailboxes'];
  logger: Logger;
  now: () => Date;
}): HealthReporter => {
  const view: HealthView = {
    state: 'idle',
    attempt: 0,
    maxAttempts: 0,
    nextAttemptAt: null,
    lastErrorCode: null,
    lastErrorMessage: null,
    lastSyncAt: null,
    progress: null,
  };
  let lastWrite = 0;

  const apply = (patch: HealthPatch) => {
    if (patch.state !== undefined) view.state = patch.state;
    if (patch.attempt !== undefined) view.attempt = patch.attempt;
    if (patch.maxAttempts !== undefined) view.maxAttempts = patch.maxAttempts;
    const next = iso(patch.nextAttemptAt);
    if (next !== undefined) view.nextAttemptAt = next;
    if (patch.lastErrorCode !== undefined) view.lastErrorCode = patch.lastErrorCode;
    if (patch.lastErrorMessage !== undefined) view.lastErrorMessage = patch.lastErrorMessage;
    const sync = iso(patch.lastSyncAt);
    if (sync !== undefined) view.lastSyncAt = sync;
    if (patch.progress !== undefined) view.progress = patch.progress;
  };

  const report = async (patch: HealthPatch) => {
    apply(patch);
    lastWrite = input.now().getTime();
    try {
      await input.mailboxes.updateHealth(input.mailboxId, patch, { owner: input.owner });
    } catch (error) {
      input.logger.warn({ err: error }, 'could not record mailbox health');
    }
  };

  return {
    report,
    async reportThrottled(patch, intervalMs) {
      if (input.now().getTime() - lastWrite < intervalMs) {
        apply(patch);
        return;
      }
      await report(patch);
    },
    view: () => ({ ...view, progress: view.progress === null ? null : { ...view.progress } }),
  };
};
