import { describe, expect, it } from 'vitest';
import { afterFailure, backoffDelayMs, MAX_DELAY_MS } from '../src/policy/retry-policy';

const now = new Date('2026-03-10T10:00:00Z');
const policy = { maxTries: 3, coolOffMinutes: 10 };

describe('retry policy', () => {
  it('backs off exponentially with jitter between half and all of each step', () => {
    expect(backoffDelayMs(1, () => 0)).toBe(1000);
    expect(backoffDelayMs(1, () => 1)).toBe(2000);
    expect(backoffDelayMs(3, () => 0)).toBe(4000);
    expect(backoffDelayMs(3, () => 1)).toBe(8000);
  });

  it('caps the delay however many attempts failed', () => {
    expect(backoffDelayMs(50, () => 1)).toBe(MAX_DELAY_MS);
  });

  it('retries until max tries, then fails and cools off for the configured minutes', () => {
    const first = afterFailure({ attempt: 0 }, 'transient', policy, now, () => 0);
    expect(first).toEqual({
      kind: 'retry',
      attempt: 1,
      delayMs: 1000,
      at: new Date(now.getTime() + 1000),
    });
    const second = afterFailure({ attempt: 1 }, 'transient', policy, now, () => 0);
    expect(second).toMatchObject({ kind: 'retry', attempt: 2 });
    const third = afterFailure({ attempt: 2 }, 'transient', policy, now, () => 0);
    expect(third).toEqual({
      kind: 'failed',
      attempt: 3,
      coolOffUntil: new Date('2026-03-10T10:10:00Z'),
    });
  });

  it('stops retrying at once when a human must re-authorize', () => {
    expect(afterFailure({ attempt: 0 }, 'auth', policy, now, () => 0)).toEqual({
      kind: 'auth_required',
    });
  });

  it('scales delays for shortened test settings', () => {
    expect(afterFailure({ attempt: 0 }, 'transient', policy, now, () => 0, 0.01)).toMatchObject({
      delayMs: 10,
    });
  });
});
