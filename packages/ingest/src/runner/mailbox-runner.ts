/**
 * Runs one leased mailbox until it is stopped: skip windows, connect, the
 * session, and what happens after a failure — classify it, then retry with
 * capped backoff (health `retrying`, attempt k of max), cool off after max
 * tries (`failed`), or stop until the settings change (`auth_required`, remembered in the
 * mailbox's `auth_parked_version` so a restarted or new runner does not try again).
 * Everything is caught here: one mailbox's failure never reaches another's.
 */
import type { Database, Mailbox, Repositories } from '@mailroom/db';
import { classifyFailure, createRedactingLogger, openImapSession } from '@mailroom/mail';
import type { Logger } from 'pino';
import { createCredentialsSource } from '../credentials/credentials';
import type { IngestEngineOptions } from '../engine/engine-options';
import type { HealthReporter } from '../health/health-reporter';
import { afterFailure } from '../policy/retry-policy';
import { skipState } from '../policy/skip-windows';
import { summarizeError } from '../shared/errors';
import { sleep, untilAborted } from '../shared/sleep';
import type { AttemptStore } from '../sync/attempt-store';
import type { IngestDecisionFn } from '../sync/process-message';
import { runMailboxSession } from './mailbox-session';

export interface EngineObserver {
  /** A mail got its ledger row (duplicate: the position was already in the ledger). */
  message?(mailboxId: string, outcome: string, duplicate: boolean): void;
  /** A batch of post-actions (after their mails' commits) is about to be sent to the server. */
  postActions?(mailboxId: string, count: number): void;
  /** A connection attempt ended: ok, or failed with its class. */
  connection?(mailboxId: string, result: 'ok' | 'transient' | 'auth' | 'permanent'): void;
}

export interface RunnerInput {
  mailbox: Mailbox;
  database: Database;
  repositories: Repositories;
  attempts: AttemptStore;
  ingest: IngestDecisionFn;
  options: IngestEngineOptions;
  health: HealthReporter;
  now: () => Date;
  random: () => number;
  logger: Logger;
  observer: EngineObserver;
  signal: AbortSignal;
}

export const runMailbox = async (input: RunnerInput): Promise<void> => {
  const { mailbox, health, signal, now, options } = input;
  const { policy, connection } = mailbox.settings;
  const logger = input.logger;
  const credentials = createCredentialsSource({
    mailboxId: mailbox.id,
    settings: mailbox.settings,
    mailboxes: input.repositories.mailboxes,
    logger: createRedactingLogger(logger, () => credentials.secrets()),
  });
  const imapLogger = createRedactingLogger(logger, () => credentials.secrets(), {
    component: 'imap',
  });
  let attempt = 0;
  // Parked in auth_required: a graceful stop leaves that state (the admin still has to act).
  let parked = false;

  // Refused at this very settings_version by an earlier runner (crash, lease takeover, restart):
  // connecting again would only repeat the refused login. A settings or secret change bumps the
  // version, so a runner started for the new version does not come here.
  if (mailbox.authParkedVersion === mailbox.settingsVersion) {
    parked = true;
    await health.report({
      state: 'auth_required',
      nextAttemptAt: null,
      lastErrorCode: mailbox.health.lastErrorCode,
      lastErrorMessage: mailbox.health.lastErrorMessage,
    });
    logger.info(
      { settingsVersion: mailbox.settingsVersion, code: mailbox.health.lastErrorCode },
      'credentials were refused at this settings version: not connecting until they change',
    );
    await untilAborted(signal);
  }

  // Bounded by the signal: every pass connects, sleeps or parks until aborted.
  while (!signal.aborted) {
    const skip = skipState(now(), policy.skipWindows, policy.timeZone);
    if (skip.inside && skip.until !== null) {
      await health.report({ state: 'skipped', nextAttemptAt: skip.until });
      logger.info({ until: skip.until.toISOString() }, 'inside a skip window: not connecting');
      await sleep(skip.until.getTime() - now().getTime(), signal);
      continue;
    }
    await health.report({
      state: 'connecting',
      attempt: attempt + 1,
      maxAttempts: policy.maxTries,
      nextAttemptAt: null,
      // A park from an older settings_version is stale; drop it.
      ...(mailbox.authParkedVersion === null ? {} : { authParkedVersion: null }),
    });
    let session: Awaited<ReturnType<typeof openImapSession>> | null = null;
    try {
      session = await openImapSession(connection, await credentials.get(), {
        logger: imapLogger,
        clientName: 'Mailroom',
      });
      input.observer.connection?.(mailbox.id, 'ok');
      attempt = 0;
      const end = await runMailboxSession({
        session,
        mailbox,
        database: input.database,
        repositories: input.repositories,
        attempts: input.attempts,
        ingest: input.ingest,
        options,
        health,
        now,
        logger,
        signal,
        ...(input.observer.postActions === undefined
          ? {}
          : { onPostActions: (count: number) => input.observer.postActions!(mailbox.id, count) }),
        ...(input.observer.message === undefined
          ? {}
          : {
              onMessage: (outcome, duplicate) =>
                input.observer.message!(mailbox.id, outcome, duplicate),
            }),
      });
      if (end === 'skip_window') logger.info('a skip window started: closing the connection');
    } catch (error) {
      if (signal.aborted) break;
      const failure = classifyFailure(error);
      const summary = summarizeError(error);
      input.observer.connection?.(mailbox.id, failure);
      const verdict = afterFailure(
        { attempt },
        failure,
        policy,
        now(),
        input.random,
        options.retryDelayScale,
      );
      logger.warn({ code: summary.code, failure, verdict: verdict.kind, attempt }, summary.message);
      const lastError = { lastErrorCode: summary.code, lastErrorMessage: summary.message };
      if (verdict.kind === 'retry') {
        attempt = verdict.attempt;
        await health.report({
          state: 'retrying',
          attempt,
          maxAttempts: policy.maxTries,
          nextAttemptAt: verdict.at,
          ...lastError,
        });
        await closeQuietly(session);
        session = null;
        await sleep(verdict.delayMs, signal);
      } else if (verdict.kind === 'failed') {
        await health.report({
          state: 'failed',
          attempt: verdict.attempt,
          maxAttempts: policy.maxTries,
          nextAttemptAt: verdict.coolOffUntil,
          ...lastError,
        });
        await closeQuietly(session);
        session = null;
        await sleep(verdict.coolOffUntil.getTime() - now().getTime(), signal);
        attempt = 0;
      } else {
        parked = true;
        await health.report({
          state: 'auth_required',
          nextAttemptAt: null,
          authParkedVersion: mailbox.settingsVersion,
          ...lastError,
        });
        await closeQuietly(session);
        session = null;
        // Retrying cannot fix this; a settings change restarts the runner.
        await untilAborted(signal);
      }
    } finally {
      await closeQuietly(session);
    }
  }
  // A parked mailbox keeps showing auth_required (with its error) while no runner holds it:
  // `stopped` would hide that the next runner will not connect either.
  if (!parked) await health.report({ state: 'stopped', nextAttemptAt: null });
};

const closeQuietly = async (session: { close(): Promise<void> } | null): Promise<void> => {
  if (session === null) return;
  try {
    await session.close();
  } catch {
    // Closing a broken connection may fail; it is gone either way.
  }
};
