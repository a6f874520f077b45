/**
 * Message-ID handling: ids without angle brackets; In-Reply-To / References as lists;
 * and, for mail without a usable Message-ID, a stable one derived from the raw bytes so a
 * re-fetched copy of the same mail gets the same id (and is recognised as a duplicate).
 */
import { createHash } from 'node:crypto';
import { normalizeMessageId } from '@mailroom/mapping';

/** Domain of derived Message-IDs; `.invalid` (RFC 2606) so they can never collide with a real one. */
export const DERIVED_MESSAGE_ID_DOMAIN = 'derived.mailroom.invalid';

const MAX_IDS = 200;

export const deriveMessageId = (raw: Uint8Array): string =>
  `${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@${DERIVED_MESSAGE_ID_DOMAIN}`;

export const messageIdList = (values: readonly string[]): string[] => {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const value of values) {
    const bracketed = value.match(/<[^<>\s]+>/g);
    const tokens = bracketed ?? value.split(/[\s,]+/).filter((token) => token.includes('@'));
    for (const token of tokens) {
      const id = normalizeMessageId(token);
      if (id && !seen.has(id)) {
        seen.add(id);
        ids.push(id);
      }
    }
  }
  // Keep the newest References when a thread is very long.
  return ids.length > MAX_IDS ? ids.slice(ids.length - MAX_IDS) : ids;
};
