/**
 * Reads one mapped folder from its checkpoint: on the first run from the sync
 * start date (SEARCH SINCE, i.e. INTERNALDATE), afterwards from the last UID,
 * so an outage of any length is backfilled. A new UIDVALIDITY re-scans the
 * folder; the ledger (keyed by UIDVALIDITY) and the Message-ID check keep that
 * from creating duplicates. Mail is fetched in UID chunks and batches, so
 * memory stays bounded. Each fetch batch is processed as a unit (process-batch.ts:
 * one lookup per key kind, one write transaction), and its post-actions run
 * after its commit.
 */
import type { FetchedMessage } from '@mailroom/mail';
import { fetchMessages, openFolder, type ImapSession } from '@mailroom/mail';
import type { Logger } from 'pino';
import type { HealthReporter } from '../health/health-reporter';
import { applyPostActions, type PendingAction } from './post-actions';
import { prepareBatch, processBatch, type BatchContext, type Prepared } from './process-batch';
import type { MessageContext } from './process-message';

export interface SyncFolderInput {
  session: ImapSession;
  folder: string;
  /** Everything processMessage needs except the folder position. */
  message: Omit<MessageContext, 'folder' | 'uidValidity' | 'initialSync'>;
  syncStartDate: string | undefined;
  maxBytes: number;
  fetchBatchSize: number;
  health: HealthReporter;
  /** Shared progress of all folders' initial syncs in this session. */
  progress: { done: number; total: number };
  signal: AbortSignal;
  logger: Logger;
  onMessage?: (outcome: string, duplicate: boolean) => void;
  onPostActions?: (count: number) => void;
}

export interface SyncFolderResult {
  processed: number;
}

/** UIDs per FETCH round: bounds the summaries held in memory. */
const UID_CHUNK = 1000;

const firstUidSince = async (session: ImapSession, date: string): Promise<number | null> => {
  const found = await session.client.search(
    { since: new Date(`${date}T00:00:00Z`) },
    { uid: true },
  );
  if (!found || found.length === 0) return null;
  return Math.min(...found);
};

const uidsFrom = async (session: ImapSession, fromUid: number): Promise<number[]> => {
  const found = await session.client.search({ uid: `${fromUid}:*` }, { uid: true });
  if (!found) return [];
  // `UID n:*` always includes the highest UID, even when it is below n.
  return found.filter((uid) => uid >= fromUid).sort((a, b) => a - b);
};

export const syncFolder = async (input: SyncFolderInput): Promise<SyncFolderResult> => {
  const { session, folder, message: base, signal, logger } = input;
  const checkpoints = base.repositories.checkpoints;
  const opened = await openFolder(session.client, folder);
  const uidValidity = BigInt(opened.uidValidity);
  const checkpoint = await checkpoints.get(base.mailbox.id, folder);

  let fromUid: number;
  let initial: boolean;
  /** Mails of an interrupted initial sync that were done before this pass. */
  let doneBefore = 0;
  if (checkpoint !== null && checkpoint.uidValidity === uidValidity) {
    fromUid = checkpoint.lastUid + 1;
    initial =
      checkpoint.initialSyncTotal !== null &&
      checkpoint.initialSyncDone < checkpoint.initialSyncTotal;
    if (initial) doneBefore = checkpoint.initialSyncDone;
    if (fromUid >= opened.uidNext || opened.exists === 0) return { processed: 0 };
  } else {
    initial = true;
    if (checkpoint !== null) {
      logger.warn(
        { folder, was: checkpoint.uidValidity.toString(), now: uidValidity.toString() },
        'UIDVALIDITY changed: re-scanning the folder (the ledger and Message-IDs prevent duplicates)',
      );
    }
    const since =
      input.syncStartDate === undefined ? 1 : await firstUidSince(session, input.syncStartDate);
    fromUid = since ?? opened.uidNext;
    await checkpoints.upsert({
      mailboxId: base.mailbox.id,
      folderPath: folder,
      uidValidity,
      lastUid: Math.max(0, fromUid - 1),
      initialSyncTotal: 0,
      initialSyncDone: 0,
    });
  }

  const uids = opened.exists === 0 ? [] : await uidsFrom(session, fromUid);
  if (uids.length === 0) return { processed: 0 };
  const initialTotal = initial ? doneBefore + uids.length : null;
  let initialDone = doneBefore;
  if (initial) input.progress.total += uids.length;
  logger.info({ folder, fromUid, count: uids.length, initial }, 'syncing folder');

  let processed = 0;
  let pending: PendingAction[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const actions = pending;
    pending = [];
    input.onPostActions?.(actions.length);
    await applyPostActions(session, base.repositories.ledger, actions, logger);
  };

  for (let start = 0; start < uids.length && !signal.aborted; start += UID_CHUNK) {
    const chunk = uids.slice(start, start + UID_CHUNK);
    const messages = fetchMessages(session.client, chunk, {
      maxBytes: input.maxBytes,
      batchSize: input.fetchBatchSize,
    });
    let first = start === 0;
    let batch: FetchedMessage[] = [];
    const run = async (fetched: FetchedMessage[], preparing?: Promise<Prepared[]>) => {
      if (fetched.length === 0) return;
      const ctx: BatchContext = {
        ...base,
        folder,
        uidValidity,
        initialSync:
          initialTotal === null ? null : { total: initialTotal, doneBefore: initialDone },
      };
      const results = await processBatch(ctx, fetched, { guardCrash: first }, preparing);
      first = false;
      for (const [index, result] of results.entries()) {
        processed += 1;
        initialDone += 1;
        if (initial) input.progress.done += 1;
        input.onMessage?.(result.outcome, result.duplicate);
        if (result.postAction.state === 'pending') {
          pending.push({
            ledgerId: result.ledgerId,
            uid: fetched[index]!.uid,
            action: result.postAction.action,
            target: result.postAction.target,
          });
        }
      }
      // One STORE / MOVE per outcome for the whole batch, after its commit.
      await flush();
      if (initial) await input.health.reportThrottled({ progress: { ...input.progress } }, 1000);
    };
    // The next batch is fetched from the server and parsed while the previous one is written: at
    // most one batch is being written, and batches commit in UID order.
    let inFlight: Promise<void> | null = null;
    const settle = async () => {
      const current = inFlight;
      inFlight = null;
      if (current !== null) await current;
    };
    try {
      for await (const fetched of messages as AsyncIterable<FetchedMessage>) {
        batch.push(fetched);
        if (batch.length >= input.fetchBatchSize) {
          const full = batch;
          batch = [];
          // Parsed while the previous batch is written; it never rejects (parse errors are kept).
          // Not the run's first batch: that one is parsed only after its crash guard is stored,
          // so a mail that crashes the parser is always caught by the guard within two runs.
          const preparing = first ? undefined : prepareBatch(base.channel, full);
          await settle();
          const next = run(full, preparing);
          // Observed when settled; this only keeps a failure from being reported as unhandled first.
          next.catch(() => {});
          inFlight = next;
        }
        // Drain: finish the batch in hand, then stop; the next owner resumes at the checkpoint.
        if (signal.aborted) break;
      }
      await settle();
      if (!signal.aborted) await run(batch);
    } finally {
      // A fetch that failed must not leave a write running behind the session's back.
      await inFlight?.catch(() => {});
    }
    await flush();
  }
  await flush();
  return { processed };
};
