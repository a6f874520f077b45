/**
 * A mailbox's health is the worker's view, shown to admins; `status` is the
 * admin's. Both are persisted so the API and UI never ask a worker directly.
 */
import { z } from 'zod';

export const healthStates = [
  'idle',
  'connecting',
  'syncing',
  'listening',
  'retrying',
  'failed',
  'skipped',
  'auth_required',
  'stopped',
] as const;
export const healthStateSchema = z.enum(healthStates);
export type HealthState = z.infer<typeof healthStateSchema>;

export interface MailboxCounters {
  seen: number;
  created: number;
  appended: number;
  skipped: number;
  quarantined: number;
}

export interface MailboxHealth {
  state: HealthState;
  attempt: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  lastSyncAt: string | null;
  counters: MailboxCounters;
  /** Initial sync progress of all folders together. */
  progress: { done: number; total: number } | null;
  updatedAt: string | null;
}

export const emptyHealth = (): MailboxHealth => ({
  state: 'idle',
  attempt: 0,
  maxAttempts: 0,
  nextAttemptAt: null,
  lastErrorCode: null,
  lastErrorMessage: null,
  lastSyncAt: null,
  counters: { seen: 0, created: 0, appended: 0, skipped: 0, quarantined: 0 },
  progress: null,
  updatedAt: null,
});
