/**
 * The seed's connection policy as pure math: consecutive failed attempts with
 * capped exponential backoff and jitter between them; after `maxTries` the
 * mailbox is `failed` and cools off for `coolOffMinutes`, then gets one new
 * round of tries. Auth failures that need a human stop retrying altogether.
 * No clock and no randomness of its own: callers pass `now` and `random`.
 */
import type { ConnectionPolicy } from '@mailroom/domain';

export type FailureClass = 'transient' | 'auth' | 'permanent';

export interface RetryState {
  /** Consecutive failed attempts in the current round. */
  attempt: number;
}

export type RetryVerdict =
  | { kind: 'retry'; attempt: number; delayMs: number; at: Date }
  | { kind: 'failed'; attempt: number; coolOffUntil: Date }
  | { kind: 'auth_required' };

export const BASE_DELAY_MS = 2_000;
export const MAX_DELAY_MS = 5 * 60_000;

/** Full-jitter backoff: a random delay between half and all of the capped exponential step. */
export const backoffDelayMs = (attempt: number, random: () => number): number => {
  const exponent = Math.min(Math.max(attempt - 1, 0), 20);
  const step = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** exponent);
  return Math.round(step / 2 + random() * (step / 2));
};

/**
 * What to do after a failed attempt. `state.attempt` counts failures before
 * this one. Permanent failures (bad configuration the server rejects in a way
 * retrying cannot fix) are retried like transient ones but still bounded by
 * maxTries, because "permanent" errors from mail servers are often not.
 */
export const afterFailure = (
  state: RetryState,
  failure: FailureClass,
  policy: Pick<ConnectionPolicy, 'maxTries' | 'coolOffMinutes'>,
  now: Date,
  random: () => number,
  delayScale = 1,
): RetryVerdict => {
  if (failure === 'auth') return { kind: 'auth_required' };
  const attempt = state.attempt + 1;
  if (attempt >= policy.maxTries) {
    return {
      kind: 'failed',
      attempt,
      coolOffUntil: new Date(now.getTime() + policy.coolOffMinutes * 60_000),
    };
  }
  const delayMs = Math.round(backoffDelayMs(attempt, random) * delayScale);
  return { kind: 'retry', attempt, delayMs, at: new Date(now.getTime() + delayMs) };
};
