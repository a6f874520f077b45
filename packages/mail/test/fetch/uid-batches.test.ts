import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { uidSetOf } from '../../src/index';
import { planSourceBatches, type MessageSummary } from '../../src/fetch/fetch-messages';

const expand = (set: string): number[] =>
  set === ''
    ? []
    : set.split(',').flatMap((part) => {
        const [a, b] = part.split(':').map(Number);
        return b === undefined
          ? [a as number]
          : Array.from({ length: (b as number) - (a as number) + 1 }, (_, i) => (a as number) + i);
      });

describe('uidSetOf', () => {
  it('compresses runs into ranges', () => {
    expect(uidSetOf([7, 1, 2, 3, 3, 9, 10])).toBe('1:3,7,9:10');
    expect(uidSetOf([])).toBe('');
  });

  it('names exactly the UIDs it was given', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 500 })), (uids) => {
        expect(expand(uidSetOf(uids))).toEqual([...new Set(uids)].sort((a, b) => a - b));
      }),
    );
  });
});

describe('planSourceBatches', () => {
  const summary = (uid: number, size: number): MessageSummary => ({
    uid,
    size,
    internalDate: null,
    flags: [],
  });

  it('leaves out mails over the limit and bounds each batch by bytes and count', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5000 }), { maxLength: 60 }), (sizes) => {
        const summaries = sizes.map((size, index) => summary(index + 1, size));
        const batches = planSourceBatches(summaries, 3000, 8000, 5);
        const planned = batches.flat();
        expect(planned.map((entry) => entry.uid)).toEqual(
          summaries.filter((s) => s.size <= 3000).map((s) => s.uid),
        );
        for (const batch of batches) {
          expect(batch.length).toBeLessThanOrEqual(5);
          expect(batch.reduce((sum, entry) => sum + entry.size, 0)).toBeLessThanOrEqual(8000);
        }
      }),
    );
  });
});
