/**
 * Importance from the four headers mail clients use (Importance, X-Priority, Priority,
 * X-MSMail-Priority), in that order of authority, mapped onto the helpdesk's three levels.
 * Null when no header says anything readable; the channel's default applies then.
 */
import type { Importance, ParsedEmail } from '@mailroom/domain';
import { indexHeaders, type HeaderIndex } from './headers';

const fromWord = (value: string): Importance | null => {
  const word = value.trim().toLowerCase();
  if (/^(high|urgent|highest|1)\b/.test(word)) return 'high';
  if (/^(normal|medium|3)\b/.test(word)) return 'medium';
  if (/^(low|non-urgent|lowest|5)\b/.test(word)) return 'low';
  return null;
};

const rules: Array<[string, (value: string) => Importance | null]> = [
  ['importance', fromWord],
  [
    'x-priority',
    (value) => {
      // "1 (Highest)", "2 (High)", "3 (Normal)", "4 (Low)", "5 (Lowest)"
      const level = /^\s*([1-5])\b/.exec(value)?.[1];
      if (level) return level <= '2' ? 'high' : level === '3' ? 'medium' : 'low';
      return fromWord(value);
    },
  ],
  ['priority', fromWord],
  ['x-msmail-priority', fromWord],
];

export const importanceFromHeaders = (
  headers: HeaderIndex | ParsedEmail['headers'],
): Importance | null => {
  const index = Array.isArray(headers) ? indexHeaders(headers) : headers;
  for (const [name, read] of rules) {
    for (const value of index.all(name)) {
      const importance = read(value);
      if (importance) return importance;
    }
  }
  return null;
};

/** What the importance field shows: "High", "Medium", "Low". */
export const importanceLabel = (importance: Importance): string =>
  importance === 'high' ? 'High' : importance === 'low' ? 'Low' : 'Medium';
