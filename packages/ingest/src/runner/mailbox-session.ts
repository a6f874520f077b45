/**
 * One connected session of a mailbox: retry pending post-actions, then sync
 * the folders and wait in IDLE on the primary folder — back into IDLE at once
 * after each fetch (not after imapflow's 15 s autoIdleDelay), re-issued before
 * servers drop it, with secondary folders polled every pollIntervalSeconds.
 * Returns when a skip window starts or the runner is stopped; throws when the
 * connection fails (the runner decides about retrying).
 */
import type { Database, Repositories } from '@mailroom/db';
import type { ChannelSettings, MailboxSettings, TicketTemplate } from '@mailroom/domain';
import { createMailError, openFolder, waitForNewMail, type ImapSession } from '@mailroom/mail';
import type { Logger } from 'pino';
import type { IngestEngineOptions } from '../engine/engine-options';
import type { HealthReporter } from '../health/health-reporter';
import { nextWindowStart, skipState } from '../policy/skip-windows';
import type { AttemptStore } from '../sync/attempt-store';
import type { IngestDecisionFn } from '../sync/process-message';
import { retryPendingPostActions } from '../sync/post-actions';
import { syncFolder } from '../sync/sync-folder';

export interface SessionInput {
  session: ImapSession;
  mailbox: { id: string; tenantId: string; settings: MailboxSettings };
  database: Database;
  repositories: Repositories;
  attempts: AttemptStore;
  ingest: IngestDecisionFn;
  options: IngestEngineOptions;
  health: HealthReporter;
  now: () => Date;
  logger: Logger;
  signal: AbortSignal;
  onMessage?: (outcome: string, duplicate: boolean) => void;
  onPostActions?: (count: number) => void;
}

export type SessionEnd = 'stopped' | 'skip_window';

const channelOf = (mailbox: SessionInput['mailbox']): ChannelSettings => {
  const { connection, reading, mapping } = mailbox.settings;
  const own = [connection.replyTo, connection.username]
    .filter((address) => address.includes('@'))
    .map((address) => address.trim().toLowerCase());
  return {
    mailboxId: mailbox.id,
    tenantId: mailbox.tenantId,
    ownAddresses: [...new Set(own)],
    reading,
    ...(mapping === undefined ? {} : { mapping }),
  };
};

const loadTemplate = async (input: SessionInput): Promise<TicketTemplate | null> => {
  const templateId = input.mailbox.settings.mapping?.templateId;
  if (templateId === undefined) return null;
  return input.repositories.templates.get(templateId, { tenantId: input.mailbox.tenantId });
};

export const runMailboxSession = async (input: SessionInput): Promise<SessionEnd> => {
  const { session, mailbox, options, health, signal, logger, now } = input;
  const { policy, reading } = mailbox.settings;
  const client = session.client;
  const folders = reading.folders.read;
  const primary = folders[0] ?? 'INBOX';
  const secondaries = folders.slice(1);
  const pollMs = policy.pollIntervalSeconds * 1000;

  await retryPendingPostActions({
    session,
    mailboxId: mailbox.id,
    ledger: input.repositories.ledger,
    logger,
    signal,
  });

  const messageContext = {
    db: input.database.db,
    ingest: input.ingest,
    repositories: input.repositories,
    mailbox: { id: mailbox.id, tenantId: mailbox.tenantId },
    channel: channelOf(mailbox),
    template: await loadTemplate(input),
    ownMessageIdDomains: options.ownMessageIdDomains,
    attempts: input.attempts,
    poisonAttempts: options.poisonAttempts,
    ping: () => input.database.ping(),
    logger,
  };

  let nextPoll = 0;
  let newMailDuringSync: boolean;
  const onExists = () => {
    newMailDuringSync = true;
  };

  while (!signal.aborted) {
    const pollSecondaries = secondaries.length > 0 && now().getTime() >= nextPoll;
    const progress = { done: 0, total: 0 };
    if (health.view().state !== 'syncing') await health.report({ state: 'syncing' });
    newMailDuringSync = false;
    client.on('exists', onExists);
    try {
      for (const folder of pollSecondaries ? folders : [primary]) {
        if (signal.aborted) break;
        await syncFolder({
          session,
          folder,
          message: { ...messageContext, logger: logger.child({ folder }) },
          syncStartDate: policy.syncStartDate,
          maxBytes: reading.maxMessageBytes,
          fetchBatchSize: options.fetchBatchSize,
          health,
          progress,
          signal,
          logger,
          ...(input.onMessage === undefined ? {} : { onMessage: input.onMessage }),
          ...(input.onPostActions === undefined ? {} : { onPostActions: input.onPostActions }),
        });
      }
      if (pollSecondaries) {
        nextPoll = now().getTime() + pollMs;
        await openFolder(client, primary);
      }
    } finally {
      client.off('exists', onExists);
    }
    if (signal.aborted) break;
    await health.report({
      state: 'listening',
      lastSyncAt: now(),
      attempt: 0,
      nextAttemptAt: null,
      ...(progress.total > 0 ? { progress } : {}),
    });
    if (newMailDuringSync) continue;

    const at = now();
    const windowStart = nextWindowStart(at, policy.skipWindows, policy.timeZone);
    const limits = [options.idleTimeoutMs];
    if (secondaries.length > 0) limits.push(nextPoll - at.getTime());
    if (windowStart !== null) limits.push(windowStart.getTime() - at.getTime());
    const timeoutMs = Math.max(1, Math.min(...limits));
    const result = await waitForNewMail(client, { timeoutMs, signal, pollIntervalMs: pollMs });
    if (result.reason === 'closed') {
      const cause = await Promise.race([session.closed, Promise.resolve(null)]);
      throw (
        cause ??
        createMailError('server_error', 'The mail server closed the connection.', { phase: 'idle' })
      );
    }
    if (skipState(now(), policy.skipWindows, policy.timeZone).inside) return 'skip_window';
  }
  return 'stopped';
};
