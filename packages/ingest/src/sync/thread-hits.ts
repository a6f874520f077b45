/**
 * Pure: turns what the database found for an email's thread keys (tickets by
 * Message-ID, tickets by subject token) into the ThreadHits the mapping step
 * ranks, naming how each was found (In-Reply-To beats References beats a
 * bounce's original beats a subject token).
 */
import type { ParsedEmail, ThreadHit, ThreadKeys } from '@mailroom/domain';
import type { ThreadLookupHit } from '@mailroom/db';
import { normalizeMessageId } from '@mailroom/mapping';

export const toThreadHits = (
  email: ParsedEmail,
  keys: ThreadKeys,
  byMessageId: readonly ThreadLookupHit[],
  byNumber: readonly ThreadLookupHit[],
): ThreadHit[] => {
  const inReplyTo = new Set(
    (email.inReplyTo ?? [])
      .map((id) => normalizeMessageId(id))
      .filter((id): id is string => id !== null),
  );
  const hits: ThreadHit[] = [];
  for (const found of byMessageId) {
    const base = {
      ticketId: found.ticketId,
      ticketNumber: found.ticketNumber,
      participants: found.participants,
    };
    const matched = found.matchedMessageIds;
    if (matched.some((id) => inReplyTo.has(id))) hits.push({ ...base, via: 'in_reply_to' });
    else if (matched.some((id) => keys.messageIds.includes(id)))
      hits.push({ ...base, via: 'references' });
    if (keys.bounceOriginalMessageId !== null && matched.includes(keys.bounceOriginalMessageId))
      hits.push({ ...base, via: 'bounce_original' });
  }
  for (const found of byNumber) {
    hits.push({
      ticketId: found.ticketId,
      ticketNumber: found.ticketNumber,
      participants: found.participants,
      via: 'subject_token',
    });
  }
  return hits;
};
