import { describe, expect, it } from 'vitest';
import { startDeadline } from '../../src/connect/deadline';

describe('startDeadline', () => {
  it('lets work finish inside the budget', async () => {
    const deadline = startDeadline(200, () => new Error('late'));
    await expect(deadline.race(Promise.resolve(7))).resolves.toBe(7);
    deadline.clear();
  });

  it('rejects every pending phase with the expiry error and runs the expiry action once', async () => {
    let expired = 0;
    const deadline = startDeadline(30, () => {
      expired += 1;
      return new Error('late');
    });
    const never = new Promise<never>(() => {});
    const first = deadline.race(never);
    const second = deadline.race(never);
    await expect(first).rejects.toThrow('late');
    await expect(second).rejects.toThrow('late');
    await expect(deadline.race(Promise.resolve(1))).rejects.toThrow('late');
    expect(expired).toBe(1);
  });

  it('does not turn the losing side into an unhandled rejection', async () => {
    const deadline = startDeadline(10, () => new Error('late'));
    const slow = new Promise((_, reject) => setTimeout(() => reject(new Error('slow')), 30));
    await expect(deadline.race(slow)).rejects.toThrow('late');
    await new Promise((resolve) => setTimeout(resolve, 50));
  });
});
