/**
 * What happens to a mail on the server after its ledger row committed: leave
 * it, mark it \Seen, or move it to the success / fail / exclusion folder by
 * outcome. It always runs after the commit, so a crash in between leaves a
 * `pending` row that the next session start retries; both IMAP operations are
 * idempotent by UID, so retrying never harms and never creates a ticket.
 */
import type { LedgerEntry, Repositories } from '@mailroom/db';
import type { LedgerOutcome, PostAction, ReadingSettings } from '@mailroom/domain';
import { markSeen, moveMessages, openFolder, type ImapSession } from '@mailroom/mail';
import type { Logger } from 'pino';
import { summarizeError } from '../shared/errors';

export interface PlannedPostAction {
  action: PostAction;
  target: string | null;
}

/**
 * Pure: the post-action for an outcome. With `move`, created/appended mail goes
 * to the success folder, skipped mail to the exclusion folder, quarantined and
 * too-large mail to the fail folder; an outcome whose folder is not set is only
 * marked \Seen, so it is neither lost nor read again by a mail client's rules.
 */
export const planPostAction = (
  folders: ReadingSettings['folders'],
  outcome: LedgerOutcome,
): PlannedPostAction => {
  if (folders.postAction !== 'move') return { action: folders.postAction, target: null };
  const target =
    outcome === 'created' || outcome === 'appended'
      ? folders.successFolder
      : outcome === 'skipped'
        ? folders.exclusionFolder
        : folders.failFolder;
  return target === undefined ? { action: 'mark_seen', target: null } : { action: 'move', target };
};

export interface PendingAction {
  ledgerId: string;
  uid: number;
  action: PostAction;
  target: string | null;
}

type Ledger = Repositories['ledger'];

/**
 * Applies post-actions for mails of the folder that is open on the session, grouped into one
 * command per action and target, and records each result in the ledger. A refused action is
 * recorded as failed (retried at a later session start); a lost connection is rethrown.
 */
export const applyPostActions = async (
  session: ImapSession,
  ledger: Ledger,
  actions: readonly PendingAction[],
  logger: Logger,
): Promise<void> => {
  const groups = new Map<string, PendingAction[]>();
  for (const item of actions) {
    if (item.action === 'leave') continue;
    const key = `${item.action}\u0000${item.target ?? ''}`;
    const group = groups.get(key) ?? [];
    group.push(item);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    const first = group[0]!;
    const uids = group.map((item) => item.uid);
    try {
      if (first.action === 'mark_seen') await markSeen(session.client, uids);
      else await moveMessages(session.client, uids, first.target!);
    } catch (error) {
      const summary = summarizeError(error);
      logger.warn(
        { code: summary.code, action: first.action, target: first.target, count: uids.length },
        'post-action failed; it is retried at the next session start',
      );
      for (const item of group) await ledger.markPostActionFailed(item.ledgerId, summary.message);
      if (!session.client.usable) throw error;
      continue;
    }
    await ledger.markPostActionsDone(group.map((item) => item.ledgerId));
  }
};

/** How often a failed post-action is tried before it is left alone (it stays `failed` in the ledger). */
export const POST_ACTION_MAX_ATTEMPTS = 5;

/**
 * Retries every pending (or failed, under the attempt limit) post-action of the mailbox, folder
 * by folder. Rows from an older UIDVALIDITY cannot be acted on any more (the UIDs now name
 * other mails) and are marked failed. Bounded: each row is looked at once per call.
 */
export const retryPendingPostActions = async (input: {
  session: ImapSession;
  mailboxId: string;
  ledger: Ledger;
  logger: Logger;
  signal: AbortSignal;
}): Promise<number> => {
  const { session, ledger, logger } = input;
  const seen = new Set<string>();
  let handled = 0;
  for (let page = 0; page < 100 && !input.signal.aborted; page += 1) {
    const rows = (
      await ledger.listPendingPostActions(input.mailboxId, {
        limit: 500,
        maxAttempts: POST_ACTION_MAX_ATTEMPTS,
      })
    ).filter((row) => !seen.has(row.id));
    if (rows.length === 0) break;
    const byFolder = new Map<string, LedgerEntry[]>();
    for (const row of rows) {
      seen.add(row.id);
      const list = byFolder.get(row.folder) ?? [];
      list.push(row);
      byFolder.set(row.folder, list);
    }
    for (const [folder, entries] of byFolder) {
      let opened;
      try {
        opened = await openFolder(session.client, folder);
      } catch (error) {
        if (!session.client.usable) throw error;
        for (const entry of entries)
          await ledger.markPostActionFailed(entry.id, summarizeError(error).message);
        continue;
      }
      const current: PendingAction[] = [];
      for (const entry of entries) {
        if (BigInt(opened.uidValidity) !== entry.uidValidity) {
          await ledger.markPostActionFailed(
            entry.id,
            'The folder was recreated (new UIDVALIDITY) before the post-action ran.',
          );
          continue;
        }
        current.push({
          ledgerId: entry.id,
          uid: entry.uid,
          action: entry.postAction,
          target: entry.postActionTarget,
        });
      }
      await applyPostActions(session, ledger, current, logger);
      handled += entries.length;
    }
  }
  if (handled > 0) logger.info({ count: handled }, 'retried pending post-actions');
  return handled;
};
