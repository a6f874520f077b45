/**
 * Fetches messages of the open folder by UID in batches, with bounded memory: one FETCH for
 * UID, size, INTERNALDATE and flags, then the sources of the mails within `maxBytes`, grouped so
 * that one group holds at most `batchBytes`. A mail over the limit is reported by size and
 * never downloaded; a server that under-reports a size cannot make us read more than
 * `maxBytes + 1` bytes of it. Each group is read completely before it is yielded, so the
 * consumer may run IMAP commands (mark seen, move) between messages.
 */
import type { ImapFlow } from 'imapflow';
import { toMailError } from '../errors/to-mail-error';

export interface MessageSummary {
  uid: number;
  size: number;
  internalDate: Date | null;
  flags: string[];
}

export interface FetchedMessage extends MessageSummary {
  /** The raw RFC 5322 bytes; null when the mail is over `maxBytes`. */
  source: Buffer | null;
  tooLarge: boolean;
}

export type UidSelection = number[] | { fromUid: number; toUid?: number };

export interface FetchMessagesOptions {
  /** Largest mail whose source is downloaded (the mailbox's maxMessageBytes). */
  maxBytes: number;
  /** Most source bytes held at once. Default 16 MiB (or maxBytes, if larger). */
  batchBytes?: number;
  /** Most messages per source FETCH. Default 100. */
  batchSize?: number;
}

/** `[1,2,3,7]` -> `1:3,7`. */
export const uidSetOf = (uids: readonly number[]): string => {
  const sorted = [...new Set(uids)]
    .filter((uid) => Number.isInteger(uid) && uid > 0)
    .sort((a, b) => a - b);
  const ranges: string[] = [];
  let start = sorted[0];
  let previous = start;
  for (const uid of sorted.slice(1)) {
    if (previous !== undefined && uid === previous + 1) {
      previous = uid;
      continue;
    }
    if (start !== undefined) ranges.push(start === previous ? `${start}` : `${start}:${previous}`);
    start = uid;
    previous = uid;
  }
  if (start !== undefined) ranges.push(start === previous ? `${start}` : `${start}:${previous}`);
  return ranges.join(',');
};

/** Groups summaries for source fetches: at most `batchSize` mails and `batchBytes` bytes per group. */
export const planSourceBatches = (
  summaries: readonly MessageSummary[],
  maxBytes: number,
  batchBytes: number,
  batchSize: number,
): MessageSummary[][] => {
  const batches: MessageSummary[][] = [];
  let current: MessageSummary[] = [];
  let bytes = 0;
  for (const summary of summaries) {
    if (summary.size > maxBytes) continue;
    if (current.length > 0 && (current.length >= batchSize || bytes + summary.size > batchBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(summary);
    bytes += summary.size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};

const summaryOf = (message: {
  uid: number;
  size?: number | undefined;
  internalDate?: Date | string | undefined;
  flags?: Set<string> | undefined;
}): MessageSummary => ({
  uid: message.uid,
  size: message.size ?? 0,
  internalDate:
    message.internalDate === undefined ? null : new Date(message.internalDate as string | Date),
  flags: [...(message.flags ?? [])],
});

/** Summaries (no sources) for the selection, in UID order. */
export const fetchSummaries = async (
  client: ImapFlow,
  selection: UidSelection,
): Promise<MessageSummary[]> => {
  const range = Array.isArray(selection)
    ? uidSetOf(selection)
    : `${selection.fromUid}:${selection.toUid ?? '*'}`;
  if (range === '') return [];
  try {
    const wanted = Array.isArray(selection) ? new Set(selection) : null;
    const rows = await client.fetchAll(
      range,
      { uid: true, size: true, internalDate: true, flags: true },
      { uid: true },
    );
    return (
      rows
        .map(summaryOf)
        // `UID n:*` always returns the highest UID, even when it is below n.
        .filter((row) =>
          wanted
            ? wanted.has(row.uid)
            : !Array.isArray(selection) &&
              row.uid >= selection.fromUid &&
              (selection.toUid === undefined || row.uid <= selection.toUid),
        )
        .sort((a, b) => a.uid - b.uid)
    );
  } catch (error) {
    throw toMailError(error, { phase: 'fetch' });
  }
};

export async function* fetchMessages(
  client: ImapFlow,
  selection: UidSelection,
  options: FetchMessagesOptions,
): AsyncGenerator<FetchedMessage> {
  const summaries = await fetchSummaries(client, selection);
  const batchBytes = Math.max(options.batchBytes ?? 16 * 1024 * 1024, options.maxBytes);
  const batches = planSourceBatches(
    summaries,
    options.maxBytes,
    batchBytes,
    options.batchSize ?? 100,
  );
  const batchOf = new Map<number, number>();
  batches.forEach((batch, index) => batch.forEach((summary) => batchOf.set(summary.uid, index)));

  let loadedIndex = -1;
  let loaded = new Map<number, Buffer>();
  for (const summary of summaries) {
    const index = batchOf.get(summary.uid);
    if (index === undefined) {
      yield { ...summary, source: null, tooLarge: true };
      continue;
    }
    if (index !== loadedIndex) {
      const batch = batches[index] ?? [];
      try {
        const rows = await client.fetchAll(
          uidSetOf(batch.map((entry) => entry.uid)),
          { uid: true, source: { start: 0, maxLength: options.maxBytes + 1 } },
          { uid: true },
        );
        loaded = new Map(
          rows
            .filter((row) => row.source !== undefined)
            .map((row) => [row.uid, row.source as Buffer]),
        );
      } catch (error) {
        throw toMailError(error, { phase: 'fetch' });
      }
      loadedIndex = index;
    }
    const source = loaded.get(summary.uid);
    loaded.delete(summary.uid);
    if (source === undefined) {
      // Expunged between the two FETCHes: nothing to hand over, the next sync will not see it.
      continue;
    }
    if (source.length > options.maxBytes) {
      yield {
        ...summary,
        size: Math.max(summary.size, source.length),
        source: null,
        tooLarge: true,
      };
    } else {
      yield { ...summary, source, tooLarge: false };
    }
  }
}
