/**
 * A fetched batch of mails processed as a unit, because one transaction and
 * ~10 round trips per mail capped a backfill at ~100 mails/s: parse all, look
 * every thread key up in one query per kind, decide each (pure), write the
 * run in ONE transaction (`ingestDecisions`). It must give the same outcomes
 * as processing the mails one by one, so a run is cut before a mail that
 * depends on an earlier mail of the same run (a reply to it, the same
 * Message-ID, a ticket it appended to, a ticket number it may create); the
 * rest is looked up again after that run committed. If a run's write fails,
 * its mails go through `processMessage` one by one, so a poison mail is
 * isolated by the per-mail rule and the others still land.
 */
import {
  findLedgerByMessageIds,
  ingestDecision,
  ingestDecisions,
  lastTicketNumber,
  type IngestBatchItem,
  type IngestBatchResult,
  type ThreadLookupHit,
} from '@mailroom/db';
import type { ParsedEmail, ThreadKeys } from '@mailroom/domain';
import { parseEmail, type FetchedMessage } from '@mailroom/mail';
import { parseFailureDecision, threadKeys } from '@mailroom/mapping';
import type { AttemptPosition } from './attempt-store';
import { planPostAction } from './post-actions';
import {
  decideParsed,
  envelopeOf,
  lookupIdsOf,
  processMessage,
  tooLargeDecision,
  type MessageContext,
  type ProcessedMessage,
} from './process-message';

export interface BatchContext extends Omit<MessageContext, 'initialSync'> {
  /** For initial syncs: the total and how many mails were done before this batch. */
  initialSync: { total: number; doneBefore: number } | null;
}

export type Prepared =
  | { kind: 'ready'; item: IngestBatchItem }
  | { kind: 'parsed'; email: ParsedEmail; keys: ThreadKeys; ids: string[] }
  | { kind: 'alone' };

const uniq = <T>(list: Iterable<T>): T[] => [...new Set(list)];

/** Per mail, what the one-query-per-kind lookups found, ranked as `findByMessageIds` ranks. */
const hitsById = (all: readonly ThreadLookupHit[], ids: readonly string[]): ThreadLookupHit[] => {
  const wanted = uniq(ids.filter((id) => id !== ''));
  return all
    .map((hit) => {
      const matched = wanted.filter((id) => hit.matchedMessageIds.includes(id));
      return { hit: { ...hit, matchedMessageIds: matched }, rank: wanted.indexOf(matched[0]!) };
    })
    .filter(({ hit }) => hit.matchedMessageIds.length > 0)
    .sort((a, b) => a.rank - b.rank || b.hit.ticketNumber - a.hit.ticketNumber)
    .map(({ hit }) => hit);
};

const hitsByNumber = (all: readonly ThreadLookupHit[], numbers: readonly number[]) =>
  all
    .filter((hit) => numbers.includes(hit.ticketNumber))
    .sort((a, b) => numbers.indexOf(a.ticketNumber) - numbers.indexOf(b.ticketNumber));

const outcomeOf = (kind: IngestBatchItem['decision']['kind']) =>
  kind === 'create'
    ? 'created'
    : kind === 'append'
      ? 'appended'
      : kind === 'skip'
        ? 'skipped'
        : kind === 'quarantine'
          ? 'quarantined'
          : 'too_large';

/**
 * Parses a batch (CPU only, no database): started for the next batch while the previous one is
 * being written, so parsing fills the time spent waiting for the database.
 */
export const prepareBatch = async (
  channel: BatchContext['channel'],
  messages: readonly FetchedMessage[],
): Promise<Prepared[]> => {
  const { maxMessageBytes } = channel.reading;
  const prepared: Prepared[] = [];
  for (const message of messages) {
    if (message.tooLarge || message.source === null) {
      prepared.push({
        kind: 'ready',
        item: {
          uid: message.uid,
          decision: tooLargeDecision(message.size, maxMessageBytes),
          raw: null,
          envelope: { size: message.size },
        },
      });
      continue;
    }
    try {
      const parsed = await parseEmail(message.source, { maxBytes: maxMessageBytes });
      if (!parsed.ok) {
        prepared.push({
          kind: 'ready',
          item: {
            uid: message.uid,
            decision: parseFailureDecision(parsed.failure),
            raw: message.source,
            envelope: { size: message.size },
          },
        });
        continue;
      }
      const keys = threadKeys(parsed.email);
      prepared.push({ kind: 'parsed', email: parsed.email, keys, ids: lookupIdsOf(keys) });
    } catch {
      // The per-mail path retries it and applies the poison rule.
      prepared.push({ kind: 'alone' });
    }
  }

  return prepared;
};

/**
 * Processes fetched mails of one folder in UID order and returns one result per mail.
 * `guardCrash`: the first mail follows a checkpoint a crashed run may have stopped at — if it has
 * stored attempts, the whole batch goes mail by mail with a guard on each, so a mail that crashes
 * the worker is singled out and quarantined by the per-mail rule.
 */
export const processBatch = async (
  ctx: BatchContext,
  messages: readonly FetchedMessage[],
  options: { guardCrash: boolean },
  /** `prepareBatch(ctx.channel, messages)`, if it was started earlier. */
  preparing?: Promise<Prepared[]>,
): Promise<ProcessedMessage[]> => {
  if (messages.length === 0) return [];
  const perMail = (index: number, guardCrash: boolean) =>
    processMessage(
      {
        ...ctx,
        initialSync:
          ctx.initialSync === null
            ? null
            : { total: ctx.initialSync.total, done: ctx.initialSync.doneBefore + index + 1 },
      },
      messages[index]!,
      { guardCrash },
    );
  const positionOf = (message: FetchedMessage): AttemptPosition => ({
    mailboxId: ctx.mailbox.id,
    folder: ctx.folder,
    uidValidity: ctx.uidValidity,
    uid: message.uid,
  });

  const first = positionOf(messages[0]!);
  if (options.guardCrash && (await ctx.attempts.get(first)) !== null) {
    const results: ProcessedMessage[] = [];
    for (let index = 0; index < messages.length; index += 1)
      results.push(await perMail(index, true));
    return results;
  }
  // A crash anywhere in this batch leaves this record; the next run then goes mail by mail.
  await ctx.attempts.set(first, { attempts: 1, lastError: null });

  const prepared = await (preparing ?? prepareBatch(ctx.channel, messages));

  const results: ProcessedMessage[] = new Array(messages.length);
  const { tenantId } = ctx.mailbox;
  let start = 0;
  while (start < messages.length) {
    if (prepared[start]!.kind === 'alone') {
      results[start] = await perMail(start, false);
      start += 1;
      continue;
    }
    const rest = prepared.slice(start).filter((entry) => entry.kind === 'parsed');
    const [seenBefore, byId, byNumber, lastNumber] = await Promise.all([
      findLedgerByMessageIds(
        ctx.db,
        tenantId,
        rest.map((entry) => entry.email.messageId),
      ),
      ctx.repositories.tickets.findByMessageIds(tenantId, uniq(rest.flatMap((entry) => entry.ids))),
      ctx.repositories.tickets.findByNumbers(
        tenantId,
        uniq(rest.flatMap((entry) => entry.keys.ticketNumbers)),
      ),
      lastTicketNumber(ctx.db, tenantId),
    ]);

    // The run: from `start` up to the first mail that depends on a mail of the run.
    const items: IngestBatchItem[] = [];
    const storedIds = new Set<string>();
    const touched = new Set<string>();
    let creates = 0;
    let end = start;
    for (; end < messages.length; end += 1) {
      const entry = prepared[end]!;
      const message = messages[end]!;
      if (entry.kind === 'alone') break;
      if (entry.kind === 'ready') {
        items.push(entry.item);
        continue;
      }
      const { email, keys, ids } = entry;
      const mine = hitsById(byId, ids);
      const numbered = hitsByNumber(byNumber, keys.ticketNumbers);
      const dependent =
        storedIds.has(email.messageId) ||
        ids.some((id) => storedIds.has(id)) ||
        keys.ticketNumbers.some((n) => n > lastNumber && n <= lastNumber + creates) ||
        [...mine, ...numbered].some((hit) => touched.has(hit.ticketId));
      if (dependent && end > start) break;
      let decision;
      try {
        decision = decideParsed(ctx, email, keys, {
          seenBefore: seenBefore.filter((row) => row.messageId === email.messageId),
          byId: mine,
          byNumber: numbered,
        });
      } catch {
        prepared[end] = { kind: 'alone' };
        break;
      }
      items.push({
        uid: message.uid,
        decision,
        raw: message.source,
        envelope: { ...envelopeOf(email), size: message.size },
      });
      if (decision.kind === 'create' || decision.kind === 'append') storedIds.add(email.messageId);
      if (decision.kind === 'create') creates += 1;
      if (decision.kind === 'append') touched.add(decision.ticketId);
    }
    if (items.length === 0) continue; // the mail at `start` became 'alone'

    const planned = items.map((item) =>
      planPostAction(ctx.channel.reading.folders, outcomeOf(item.decision.kind)),
    );
    const withActions = items.map((item, index) => ({
      ...item,
      attempts: 1,
      postAction: { action: planned[index]!.action, target: planned[index]!.target },
    }));
    const checkpoint = {
      lastUid: messages[end - 1]!.uid,
      ...(ctx.initialSync === null
        ? {}
        : {
            initialSyncTotal: ctx.initialSync.total,
            initialSyncDone: ctx.initialSync.doneBefore + end,
          }),
    };
    let written: IngestBatchResult | null = null;
    try {
      written = await writeRun(ctx, withActions, checkpoint);
    } catch (error) {
      try {
        await ctx.ping();
      } catch {
        throw error;
      }
      ctx.logger.warn(
        { uids: [messages[start]!.uid, messages[end - 1]!.uid], error: String(error) },
        'writing a batch failed; processing its mails one by one',
      );
    }
    for (let index = start; index < end; index += 1) {
      if (written === null) {
        results[index] = await perMail(index, false);
        continue;
      }
      const { entry, duplicate } = written.entries[index - start]!;
      results[index] = {
        ledgerId: entry.id,
        outcome: entry.outcome,
        duplicate,
        postAction: {
          action: entry.postAction,
          target: entry.postActionTarget,
          state: entry.postActionState,
        },
      };
    }
    start = end;
  }
  await ctx.attempts.clear(first);
  return results;
};

/**
 * One transaction for the run. A caller that wraps `ingestDecision` (tests simulating a storage
 * error) gets its wrapper called per mail inside that transaction; otherwise the set-wise writer.
 */
const writeRun = (
  ctx: BatchContext,
  items: IngestBatchItem[],
  checkpoint: { lastUid: number; initialSyncTotal?: number; initialSyncDone?: number },
): Promise<IngestBatchResult> => {
  const at = { mailbox: ctx.mailbox, folder: ctx.folder, uidValidity: ctx.uidValidity };
  if (ctx.ingest === ingestDecision)
    return ingestDecisions({ db: ctx.db, ...at, items, checkpoint });
  return ctx.db.transaction(async (tx) => {
    const entries: IngestBatchResult['entries'] = [];
    for (const item of items) {
      const result = await ctx.ingest({ db: tx, ...at, ...item, checkpoint });
      entries.push({ entry: result.entry, duplicate: result.duplicate });
    }
    return { entries };
  });
};
