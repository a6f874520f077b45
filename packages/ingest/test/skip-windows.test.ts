import { describe, expect, it } from 'vitest';
import { nextWindowStart, skipState } from '../src/policy/skip-windows';

const at = (iso: string) => new Date(iso);

describe('skip windows', () => {
  it.each([
    ['2026-03-10T01:59:00Z', false],
    ['2026-03-10T02:00:00Z', true],
    ['2026-03-10T03:59:59Z', true],
    ['2026-03-10T04:00:00Z', false],
  ])('a 02:00-04:00 window in UTC: at %s inside is %s', (now, inside) => {
    expect(skipState(at(now), [{ start: '02:00', end: '04:00' }], 'UTC').inside).toBe(inside);
  });

  it('a window crossing midnight covers both sides and ends the next morning', () => {
    const windows = [{ start: '23:30', end: '00:30' }];
    expect(skipState(at('2026-03-10T23:45:00Z'), windows, 'UTC')).toEqual({
      inside: true,
      until: at('2026-03-11T00:30:00Z'),
    });
    expect(skipState(at('2026-03-11T00:10:00Z'), windows, 'UTC').inside).toBe(true);
    expect(skipState(at('2026-03-11T00:30:00Z'), windows, 'UTC').inside).toBe(false);
  });

  it('is read in the mailbox time zone, not UTC', () => {
    const windows = [{ start: '02:00', end: '04:00' }];
    // 02:30 in Berlin (CET, UTC+1) is 01:30 UTC.
    expect(skipState(at('2026-01-15T01:30:00Z'), windows, 'Europe/Berlin')).toEqual({
      inside: true,
      until: at('2026-01-15T03:00:00Z'),
    });
    expect(skipState(at('2026-01-15T02:30:00Z'), windows, 'Europe/Berlin').inside).toBe(true);
    expect(skipState(at('2026-01-15T03:30:00Z'), windows, 'Europe/Berlin').inside).toBe(false);
  });

  it('follows touching windows to the first free minute', () => {
    const windows = [
      { start: '10:00', end: '11:00' },
      { start: '11:00', end: '12:15' },
    ];
    expect(skipState(at('2026-03-10T10:20:30Z'), windows, 'UTC').until).toEqual(
      at('2026-03-10T12:15:00Z'),
    );
  });

  it('never skips for an empty window list or a zero-length window', () => {
    expect(skipState(at('2026-03-10T10:00:00Z'), [], 'UTC').inside).toBe(false);
    expect(
      skipState(at('2026-03-10T10:00:00Z'), [{ start: '10:00', end: '10:00' }], 'UTC').inside,
    ).toBe(false);
  });

  it('tells when the next window starts so an open connection can be closed', () => {
    const windows = [
      { start: '02:00', end: '04:00' },
      { start: '13:00', end: '13:30' },
    ];
    expect(nextWindowStart(at('2026-03-10T12:00:00Z'), windows, 'UTC')).toEqual(
      at('2026-03-10T13:00:00Z'),
    );
    expect(nextWindowStart(at('2026-03-10T14:00:00Z'), windows, 'UTC')).toEqual(
      at('2026-03-11T02:00:00Z'),
    );
    expect(nextWindowStart(at('2026-03-10T14:00:00Z'), [], 'UTC')).toBeNull();
  });
});
