/**
 * The ingestion engine of one worker process: keeps leases on up to
 * `maxMailboxes` active mailboxes (heartbeat + takeover of expired ones, so
 * each has one owner and a dead worker's mailboxes move within the lease
 * time), runs one runner per leased mailbox, restarts a runner within
 * `settingsPollMs` when its settings_version changes and stops it when the
 * mailbox is no longer active. `stop()` drains in-flight mail, closes the
 * sessions and releases the leases. Same code on PGlite and PostgreSQL.
 */
import { ingestDecision, type Database, type HeldLease, type Repositories } from '@mailroom/db';
import type { Logger } from 'pino';
import {
  createHealthReporter,
  type HealthReporter,
  type HealthView,
} from '../health/health-reporter';
import { runMailbox, type EngineObserver } from '../runner/mailbox-runner';
import { summarizeError } from '../shared/errors';
import { sleep } from '../shared/sleep';
import type { AttemptStore } from '../sync/attempt-store';
import type { IngestDecisionFn } from '../sync/process-message';
import { resolveEngineOptions, type IngestEngineOptions } from './engine-options';

export interface CreateIngestEngineInput {
  database: Database;
  repositories: Repositories;
  /** Names this worker in leases; unique per running worker. */
  workerId: string;
  logger: Logger;
  now?: () => Date;
  random?: () => number;
  options?: Partial<IngestEngineOptions>;
  /** Where per-mail failure counts live; default the database (`ingest_attempts`), so they survive crashes. */
  attempts?: AttemptStore;
  observer?: EngineObserver;
  /**
   * The one-transaction write of a mail's outcome; defaults to `ingestDecision` from
   * @mailroom/db. Callers may wrap it (tracing, or a test that makes one mail unstorable).
   */
  ingestDecision?: IngestDecisionFn;
}

export interface EngineSnapshot {
  workerId: string;
  running: boolean;
  mailboxes: Array<{ mailboxId: string; settingsVersion: number; health: HealthView }>;
}

export interface IngestEngine {
  start(): Promise<void>;
  /** Drains in-flight mail, closes sessions, releases leases. Safe to call twice. */
  stop(): Promise<void>;
  snapshot(): EngineSnapshot;
}

interface Slot {
  mailboxId: string;
  settingsVersion: number;
  controller: AbortController;
  health: HealthReporter;
  done: Promise<void>;
}

export const createIngestEngine = (input: CreateIngestEngineInput): IngestEngine => {
  const options = resolveEngineOptions(input.options);
  const now = input.now ?? (() => new Date());
  const random = input.random ?? Math.random;
  const attempts: AttemptStore = input.attempts ?? input.repositories.ingestAttempts;
  const observer = input.observer ?? {};
  const { repositories, workerId } = input;
  const mailboxes = repositories.mailboxes;
  const logger = input.logger.child({ workerId });
  const slots = new Map<string, Slot>();
  const stopping = new AbortController();
  let loop: Promise<void> | null = null;
  let stopped: Promise<void> | null = null;
  let lastHeartbeatOk = 0;

  const startRunner = async (lease: HeldLease): Promise<void> => {
    const mailbox = await mailboxes.get(lease.mailboxId);
    if (mailbox === null || mailbox.status !== 'active' || stopping.signal.aborted) return;
    // One runner per mailbox, ever: a second one would hold its own session and outlive the slot.
    if (slots.has(mailbox.id)) return;
    const controller = new AbortController();
    const mailboxLogger = logger.child({ mailboxId: mailbox.id });
    const health = createHealthReporter({
      mailboxId: mailbox.id,
      owner: workerId,
      mailboxes,
      logger: mailboxLogger,
      now,
    });
    const done = runMailbox({
      mailbox,
      database: input.database,
      repositories,
      attempts,
      ingest: input.ingestDecision ?? ingestDecision,
      options,
      health,
      now,
      random,
      logger: mailboxLogger,
      observer,
      signal: controller.signal,
    }).catch((error: unknown) => {
      mailboxLogger.error({ err: error }, 'mailbox runner ended unexpectedly');
    });
    slots.set(mailbox.id, {
      mailboxId: mailbox.id,
      settingsVersion: mailbox.settingsVersion,
      controller,
      health,
      done,
    });
    mailboxLogger.info({ settingsVersion: mailbox.settingsVersion }, 'started mailbox');
  };

  const stopRunner = async (slot: Slot, reason: string): Promise<void> => {
    if (slots.get(slot.mailboxId) === slot) slots.delete(slot.mailboxId);
    slot.controller.abort();
    await slot.done;
    logger.info({ mailboxId: slot.mailboxId, reason }, 'stopped mailbox');
  };

  /**
   * The heartbeat already released the lease of a paused or draft mailbox, so the runner's own
   * (owner-guarded) `stopped` report cannot land; record it here while nobody owns the mailbox.
   */
  const markStoppedIfInactive = async (mailboxId: string): Promise<void> => {
    const mailbox = await mailboxes.get(mailboxId);
    if (mailbox !== null && mailbox.status !== 'active' && mailbox.lease.owner === null)
      await mailboxes.updateHealth(mailboxId, { state: 'stopped', nextAttemptAt: null });
  };

  /** One heartbeat: keep, restart, stop and take mailboxes. Never throws. */
  const tick = async (): Promise<void> => {
    try {
      const held = await mailboxes.heartbeat({ owner: workerId, ttlMs: options.leaseTtlMs });
      lastHeartbeatOk = Date.now();
      const heldById = new Map(held.map((lease) => [lease.mailboxId, lease]));
      const changes: Promise<void>[] = [];
      // Mailboxes this tick already stops or restarts. stopRunner drops the slot at once, so
      // without this the loop below would start a second runner next to the restarted one.
      const handled = new Set<string>();
      for (const slot of [...slots.values()]) {
        handled.add(slot.mailboxId);
        const lease = heldById.get(slot.mailboxId);
        if (lease === undefined) {
          changes.push(
            stopRunner(slot, 'not active any more or lease lost').then(() =>
              markStoppedIfInactive(slot.mailboxId),
            ),
          );
        } else if (lease.settingsVersion !== slot.settingsVersion) {
          changes.push(stopRunner(slot, 'settings changed').then(() => startRunner(lease)));
        }
      }
      for (const lease of held) {
        if (!slots.has(lease.mailboxId) && !handled.has(lease.mailboxId))
          changes.push(startRunner(lease));
      }
      const room = options.maxMailboxes - held.length;
      if (room > 0 && !stopping.signal.aborted) {
        const acquired = await mailboxes.acquireLeases({
          owner: workerId,
          limit: room,
          ttlMs: options.leaseTtlMs,
        });
        for (const lease of acquired) changes.push(startRunner(lease));
      }
      await Promise.all(changes);
    } catch (error) {
      logger.warn({ code: summarizeError(error).code, err: error }, 'lease heartbeat failed');
      // Without a heartbeat the leases run out; stop before another worker may take over.
      if (Date.now() - lastHeartbeatOk > options.leaseTtlMs * 0.75) {
        await Promise.all([...slots.values()].map((slot) => stopRunner(slot, 'lease expiring')));
      }
    }
  };

  const run = async () => {
    while (!stopping.signal.aborted) {
      const started = Date.now();
      await tick();
      await sleep(options.settingsPollMs - (Date.now() - started), stopping.signal);
    }
  };

  return {
    async start() {
      if (loop !== null) return;
      logger.info({ options: { ...options } }, 'ingestion engine starting');
      lastHeartbeatOk = Date.now();
      loop = run();
    },
    stop() {
      stopped ??= (async () => {
        stopping.abort();
        await loop;
        await Promise.all([...slots.values()].map((slot) => stopRunner(slot, 'engine stopping')));
        try {
          const released = await mailboxes.release({ owner: workerId });
          logger.info({ released }, 'ingestion engine stopped; leases released');
        } catch (error) {
          logger.warn({ err: error }, 'could not release leases; they expire on their own');
        }
      })();
      return stopped;
    },
    snapshot: () => ({
      workerId,
      running: loop !== null && !stopping.signal.aborted,
      mailboxes: [...slots.values()].map((slot) => ({
        mailboxId: slot.mailboxId,
        settingsVersion: slot.settingsVersion,
        health: slot.health.view(),
      })),
    }),
  };
};
