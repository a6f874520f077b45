/**
 * Skip windows: times of day, in the mailbox's time zone, when no connection
 * may be attempted (e.g. the mail server's nightly maintenance). A window whose
 * end is before its start crosses midnight. Pure: the caller passes `now`.
 */
import type { SkipWindow } from '@mailroom/domain';

const MINUTES_PER_DAY = 24 * 60;

const toMinutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Minutes since local midnight and the offset from UTC, for an instant in a zone. */
const localClock = (now: Date, timeZone: string): { minute: number; second: number } => {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(now);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return { minute: get('hour') * 60 + get('minute'), second: get('second') };
};

/** Minutes from `minute` forward to `target`, within one day (0..1439). */
const minutesUntil = (minute: number, target: number): number =>
  (target - minute + MINUTES_PER_DAY) % MINUTES_PER_DAY;

const insideWindow = (minute: number, window: SkipWindow): boolean => {
  const start = toMinutes(window.start);
  const end = toMinutes(window.end);
  if (start === end) return false;
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
};

export interface SkipState {
  inside: boolean;
  /** When inside: the instant the covering window(s) end. */
  until: Date | null;
}

/**
 * Whether `now` lies in any window, and when the skip ends. Overlapping or
 * touching windows are followed through, so `until` is the first instant that
 * lies in no window. Minute resolution; a DST jump can shift the end by an hour.
 */
export const skipState = (now: Date, windows: SkipWindow[], timeZone: string): SkipState => {
  const { minute, second } = localClock(now, timeZone);
  if (!windows.some((window) => insideWindow(minute, window)))
    return { inside: false, until: null };
  let offset = 0;
  // Walk window ends forward until a minute is free; bounded by the window count.
  for (let step = 0; step <= windows.length; step += 1) {
    const at = (minute + offset) % MINUTES_PER_DAY;
    const covering = windows.filter((window) => insideWindow(at, window));
    if (covering.length === 0) break;
    offset += Math.max(...covering.map((window) => minutesUntil(at, toMinutes(window.end))));
    if (offset >= MINUTES_PER_DAY) {
      offset = MINUTES_PER_DAY;
      break;
    }
  }
  const until = new Date(now.getTime() + offset * 60_000 - second * 1000 - now.getMilliseconds());
  return { inside: true, until };
};

/** The next instant a window starts after `now` (to close an open connection), or null. */
export const nextWindowStart = (
  now: Date,
  windows: SkipWindow[],
  timeZone: string,
): Date | null => {
  if (windows.length === 0) return null;
  const { minute, second } = localClock(now, timeZone);
  const waits = windows
    .filter((window) => window.start !== window.end)
    .map((window) => minutesUntil(minute, toMinutes(window.start)) || MINUTES_PER_DAY);
  if (waits.length === 0) return null;
  return new Date(
    now.getTime() + Math.min(...waits) * 60_000 - second * 1000 - now.getMilliseconds(),
  );
};
