/**
 * Bulk mail: mailing lists, newsletters and anything a sender marks as mass mail
 * (Precedence bulk/junk/list, List-Id, List-Unsubscribe and the other list headers, Feedback-ID). Bulk is kept by
 * default; the class exists so an admin can choose to drop it.
 */
import type { Classification } from '@mailroom/domain';
import type { HeaderIndex } from '../headers';

const bulk = (rule: string, evidence: string): Classification => ({ kind: 'bulk', rule, evidence });

const clip = (value: string): string => (value.length > 200 ? `${value.slice(0, 200)}…` : value);

export const bulkRule = (headers: HeaderIndex): Classification | null => {
  for (const [name, display] of [
    ['precedence', 'Precedence'],
    ['x-precedence', 'X-Precedence'],
  ] as const) {
    for (const value of headers.all(name)) {
      const kind = value.toLowerCase().split(/[;(\s]/, 1)[0];
      if (kind === 'bulk' || kind === 'junk' || kind === 'list') {
        return bulk(`header:${name}`, `${display}: ${value}`);
      }
    }
  }
  const listId = headers.first('list-id');
  if (listId !== null) return bulk('header:list-id', `List-Id: ${clip(listId)}`);
  const unsubscribe = headers.first('list-unsubscribe');
  if (unsubscribe !== null)
    return bulk('header:list-unsubscribe', `List-Unsubscribe: ${clip(unsubscribe)}`);
  for (const [name, display] of [
    ['list-post', 'List-Post'],
    ['list-subscribe', 'List-Subscribe'],
    ['mailing-list', 'Mailing-List'],
    ['x-mailing-list', 'X-Mailing-List'],
  ] as const) {
    const value = headers.first(name);
    if (value !== null) return bulk(`header:${name}`, `${display}: ${clip(value)}`);
  }
  const feedbackId = headers.first('feedback-id');
  if (feedbackId !== null) return bulk('header:feedback-id', `Feedback-ID: ${clip(feedbackId)}`);
  return null;
};
