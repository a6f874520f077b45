/**
 * One email's way from raw bytes to its ledger row: parse, thread keys,
 * database lookup, the pure decision, then `ingestDecision`, which writes the
 * ledger row, ticket/message/attachments, checkpoint and counters in ONE
 * transaction (a repeated position is a no-op). Failures are counted per mail;
 * after `poisonAttempts` the mail is quarantined with its raw bytes kept, so
 * one broken mail never blocks the folder. A failure while the database is
 * unreachable is not the mail's fault and is rethrown uncounted.
 */
import type {
  Db,
  IngestDecision,
  ingestDecision,
  LedgerEntry,
  Repositories,
  ThreadLookupHit,
} from '@mailroom/db';
import type {
  ChannelSettings,
  Decision,
  ParsedEmail,
  ThreadKeys,
  TicketTemplate,
} from '@mailroom/domain';
import { parseEmail, type FetchedMessage } from '@mailroom/mail';
import { decide, parseFailureDecision, threadKeys } from '@mailroom/mapping';
import type { Logger } from 'pino';
import { summarizeError } from '../shared/errors';
import type { AttemptPosition, AttemptStore } from './attempt-store';
import { planPostAction, type PlannedPostAction } from './post-actions';
import { toThreadHits } from './thread-hits';

export type IngestDecisionFn = typeof ingestDecision;

export interface MessageContext {
  db: Db;
  /** The one-transaction write; `ingestDecision` from @mailroom/db unless a caller wraps it. */
  ingest: IngestDecisionFn;
  repositories: Repositories;
  mailbox: { id: string; tenantId: string };
  channel: ChannelSettings;
  template: TicketTemplate | null;
  ownMessageIdDomains: readonly string[];
  folder: string;
  uidValidity: bigint;
  attempts: AttemptStore;
  poisonAttempts: number;
  /** Throws when the database does not answer; used to tell a poison mail from an outage. */
  ping: () => Promise<void>;
  logger: Logger;
  /** Written with the ledger row for initial syncs. */
  initialSync?: { total: number; done: number } | null;
}

export interface ProcessedMessage {
  ledgerId: string;
  outcome: string;
  duplicate: boolean;
  postAction: PlannedPostAction & { state: string };
}

const normal = { kind: 'normal' as const, rule: null, evidence: null };

/** Pure: the ledger's decision for a mail over the size limit. */
export const tooLargeDecision = (size: number, maxBytes: number): IngestDecision => ({
  kind: 'too_large',
  code: 'too_large',
  reason: `too large — the message has ${size} bytes, over this channel's limit of ${maxBytes} bytes; it was recorded, not downloaded`,
});

export type Envelope = { messageId: string | null; from: string | null; subject: string | null };

/** The Message-IDs whose tickets thread this mail (In-Reply-To, References, a bounce's original). */
export const lookupIdsOf = (keys: ThreadKeys): string[] => {
  const ids = [...keys.messageIds];
  if (keys.bounceOriginalMessageId !== null && !ids.includes(keys.bounceOriginalMessageId))
    ids.push(keys.bounceOriginalMessageId);
  return ids;
};

/** What the database knew about one mail's keys when it was decided. */
export interface MailLookups {
  /** Ledger rows of the tenant with the mail's own Message-ID (any mailbox). */
  seenBefore: readonly LedgerEntry[];
  byId: readonly ThreadLookupHit[];
  byNumber: readonly ThreadLookupHit[];
}

export const envelopeOf = (email: ParsedEmail): Envelope => ({
  messageId: email.messageId,
  from: email.from?.address ?? null,
  subject: email.subject ?? null,
});

/**
 * Pure: the decision for a parsed mail given its lookups. A Message-ID this mailbox (or, with
 * `dedupeAcrossMailboxes`, any mailbox of the tenant) already turned into a ticket message is a
 * `skipped.duplicate`; otherwise the mapping step decides.
 */
export const decideParsed = (
  ctx: Pick<MessageContext, 'mailbox' | 'channel' | 'template' | 'ownMessageIdDomains'>,
  email: ParsedEmail,
  keys: ThreadKeys,
  found: MailLookups,
): Decision => {
  const stored = found.seenBefore.filter(
    (entry) =>
      entry.messageId === email.messageId &&
      (entry.outcome === 'created' || entry.outcome === 'appended'),
  );
  const earlier = stored.find((entry) => entry.mailboxId === ctx.mailbox.id);
  if (earlier !== undefined) {
    return {
      kind: 'skip',
      code: 'skipped.duplicate',
      reason: `skipped: duplicate — this mailbox already received this message (Message-ID <${email.messageId}>, ${earlier.folder} uid ${earlier.uid})`,
      classification: normal,
    };
  }
  const elsewhere = ctx.channel.reading.dedupeAcrossMailboxes === true ? stored[0] : undefined;
  if (elsewhere !== undefined) {
    return {
      kind: 'skip',
      code: 'skipped.duplicate',
      reason: `skipped: duplicate — another mailbox of this tenant already made it a ticket message (Message-ID <${email.messageId}>, mailbox ${elsewhere.mailboxId}, ${elsewhere.folder} uid ${elsewhere.uid}); tenant-wide dedupe is on`,
      classification: normal,
    };
  }
  const hits = toThreadHits(email, keys, found.byId, found.byNumber);
  return decide(email, ctx.channel, hits, {
    template: ctx.template,
    ownMessageIdDomains: ctx.ownMessageIdDomains,
  });
};

const decideFor = async (
  ctx: MessageContext,
  source: Buffer,
): Promise<{ decision: Decision; envelope: Partial<Envelope> }> => {
  const parsed = await parseEmail(source, { maxBytes: ctx.channel.reading.maxMessageBytes });
  if (!parsed.ok) {
    return {
      decision: parseFailureDecision(parsed.failure),
      envelope: { messageId: null, from: null, subject: null },
    };
  }
  const email = parsed.email;
  const { tickets, ledger } = ctx.repositories;
  const keys = threadKeys(email);
  const ids = lookupIdsOf(keys);
  // Independent reads: on PostgreSQL they run on separate pool connections.
  const [seenBefore, byId, byNumber] = await Promise.all([
    ledger.findByMessageId(ctx.mailbox.tenantId, email.messageId),
    ids.length > 0 ? tickets.findByMessageIds(ctx.mailbox.tenantId, ids) : [],
    keys.ticketNumbers.length > 0
      ? tickets.findByNumbers(ctx.mailbox.tenantId, keys.ticketNumbers)
      : [],
  ]);
  return {
    envelope: envelopeOf(email),
    decision: decideParsed(ctx, email, keys, { seenBefore, byId, byNumber }),
  };
};

const write = async (
  ctx: MessageContext,
  message: FetchedMessage,
  decision: IngestDecision,
  envelope: { messageId?: string | null; from?: string | null; subject?: string | null },
  attempts: number,
): Promise<ProcessedMessage> => {
  const outcome =
    decision.kind === 'create'
      ? 'created'
      : decision.kind === 'append'
        ? 'appended'
        : decision.kind === 'skip'
          ? 'skipped'
          : decision.kind === 'quarantine'
            ? 'quarantined'
            : 'too_large';
  const planned = planPostAction(ctx.channel.reading.folders, outcome);
  const result = await ctx.ingest({
    db: ctx.db,
    mailbox: ctx.mailbox,
    folder: ctx.folder,
    uidValidity: ctx.uidValidity,
    uid: message.uid,
    decision,
    raw: message.source,
    envelope: { ...envelope, size: message.size },
    postAction: { action: planned.action, target: planned.target },
    attempts,
    ...(ctx.initialSync
      ? {
          checkpoint: {
            initialSyncTotal: ctx.initialSync.total,
            initialSyncDone: ctx.initialSync.done,
          },
        }
      : {}),
  });
  const entry = result.entry;
  return {
    ledgerId: entry.id,
    outcome: entry.outcome,
    duplicate: result.duplicate,
    postAction: {
      action: entry.postAction,
      target: entry.postActionTarget,
      state: entry.postActionState,
    },
  };
};

const quarantine = (
  ctx: MessageContext,
  message: FetchedMessage,
  attempts: number,
  lastError: string | null,
): Promise<ProcessedMessage> => {
  const error =
    lastError ??
    'the worker stopped (crashed or was killed) while processing this message, every time it tried';
  return write(
    ctx,
    message,
    {
      kind: 'quarantine',
      code: 'quarantined.poison',
      reason: `quarantined: could not be processed — it failed ${attempts} times (${error})`,
      error,
    },
    {},
    attempts,
  );
};

/**
 * Processes one fetched mail. `guardCrash` records an attempt before processing (set for the
 * first mail after a checkpoint, the only one a crash can have stopped at).
 */
export const processMessage = async (
  ctx: MessageContext,
  message: FetchedMessage,
  options: { guardCrash: boolean },
): Promise<ProcessedMessage> => {
  if (message.tooLarge || message.source === null) {
    return write(
      ctx,
      message,
      tooLargeDecision(message.size, ctx.channel.reading.maxMessageBytes),
      {},
      1,
    );
  }
  const position: AttemptPosition = {
    mailboxId: ctx.mailbox.id,
    folder: ctx.folder,
    uidValidity: ctx.uidValidity,
    uid: message.uid,
  };
  // Only the first mail after a checkpoint can have failures recorded by an earlier run:
  // processing is sequential, and a mail that failed never advanced the checkpoint.
  const previous = options.guardCrash ? await ctx.attempts.get(position) : null;
  let attempts = previous?.attempts ?? 0;
  let lastError = previous?.lastError ?? null;
  const source = message.source;
  // Bounded: each pass either returns or counts one more attempt.
  for (;;) {
    if (attempts >= ctx.poisonAttempts) {
      const result = await quarantine(ctx, message, attempts, lastError);
      await ctx.attempts.clear(position);
      ctx.logger.warn(
        { uid: message.uid, attempts, error: lastError },
        'quarantined a poison mail',
      );
      return result;
    }
    attempts += 1;
    if (options.guardCrash || previous !== null)
      await ctx.attempts.set(position, { attempts, lastError });
    try {
      const { decision, envelope } = await decideFor(ctx, source);
      const result = await write(ctx, message, decision, envelope, attempts);
      if (options.guardCrash || previous !== null || attempts > 1)
        await ctx.attempts.clear(position);
      return result;
    } catch (error) {
      try {
        await ctx.ping();
      } catch {
        throw error;
      }
      lastError = summarizeError(error).message;
      ctx.logger.warn(
        { uid: message.uid, attempt: attempts, error: lastError },
        'processing a mail failed',
      );
      await ctx.attempts.set(position, { attempts, lastError });
    }
  }
};
