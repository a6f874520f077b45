/**
 * Reads one mapped folder from its checkpoint: on the first run from the sync
 * start date (SEARCH SINCE, i.e. INTERNALDATE), afterwards from the last UID,
 * so an outage of any length is backfilled. A new UIDVALIDITY re-scans the
 * folder; the ledger (keyed by UIDVALIDITY) and the Message-ID check keep that
 * from creating duplicates. Mail is fetched in UID chunks and batches, so
 * memory stays bounded; post-actions run after each batch's commits.
 */
import type { FetchedMessage } from '@mailroom/mail';
import { fetchMessages, openFolder, type ImapSession } from '@mailroom/mail';
import type { Logger } from 'pino';
import type { HealthReporter } from '../health/health-reporter';
import { applyPostActions, type PendingAction } from './post-actions';
import { processMessage, type MessageContext } from './process-message';

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
    for await (const fetched of messages as AsyncIterable<FetchedMessage>) {
      const ctx: MessageContext = {
        ...base,
        folder,
        uidValidity,
        initialSync: initialTotal === null ? null : { total: initialTotal, done: initialDone + 1 },
      };
      const result = await processMessage(ctx, fetched, { guardCrash: first });
      first = false;
      processed += 1;
      initialDone += 1;
      if (initial) input.progress.done += 1;
      input.onMessage?.(result.outcome, result.duplicate);
      if (result.postAction.state === 'pending') {
        pending.push({
          ledgerId: result.ledgerId,
          uid: fetched.uid,
          action: result.postAction.action,
          target: result.postAction.target,
        });
      }
      if (pending.length >= input.fetchBatchSize) await flush();
      if (initial) await input.health.reportThrottled({ progress: { ...input.progress } }, 1000);
      // Drain: finish the mail in hand, then stop; the next owner resumes at the checkpoint.
      if (signal.aborted) break;
    }
    await flush();
  }
  await flush();
  return { processed };
};
