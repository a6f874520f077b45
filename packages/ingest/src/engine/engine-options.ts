/**
 * The engine's tuning knobs with their production defaults. Tests shrink the
 * lease, poll and backoff times; nothing here is read from the environment
 * (the worker's config module passes values in).
 */

export interface IngestEngineOptions {
  /** How long a lease lasts without a heartbeat; a dead worker's mailboxes move after this. Default 30 s. */
  leaseTtlMs: number;
  /**
   * How often the engine heartbeats its leases, takes free mailboxes and notices settings and
   * status changes (the heartbeat returns each mailbox's settings_version). Default 2 s.
   */
  settingsPollMs: number;
  /** Most mailboxes one worker runs at once. Default 50. */
  maxMailboxes: number;
  /** Longest IDLE before it is re-issued; servers may drop IDLE after 30 min. Default 25 min. */
  idleTimeoutMs: number;
  /** Multiplies retry backoff delays (tests use e.g. 0.01). Default 1. */
  retryDelayScale: number;
  /** Mails per source FETCH and per post-action command. Default 100. */
  fetchBatchSize: number;
  /** Failed tries (errors or crashes) before a mail is quarantined. Default 3. */
  poisonAttempts: number;
  /** Domains of Message-IDs Mailroom writes into outgoing mail, for loop protection. */
  ownMessageIdDomains: string[];
}

export const defaultEngineOptions: IngestEngineOptions = {
  leaseTtlMs: 30_000,
  settingsPollMs: 2_000,
  maxMailboxes: 50,
  idleTimeoutMs: 25 * 60_000,
  retryDelayScale: 1,
  fetchBatchSize: 100,
  poisonAttempts: 3,
  ownMessageIdDomains: [],
};

/** RFC 9051: clients re-issue IDLE at least every 29 minutes. */
const MAX_IDLE_MS = 29 * 60_000;

export const resolveEngineOptions = (
  options: Partial<IngestEngineOptions> = {},
): IngestEngineOptions => {
  const merged = { ...defaultEngineOptions, ...options };
  return {
    ...merged,
    idleTimeoutMs: Math.min(Math.max(merged.idleTimeoutMs, 100), MAX_IDLE_MS),
    settingsPollMs: Math.max(merged.settingsPollMs, 50),
    leaseTtlMs: Math.max(merged.leaseTtlMs, merged.settingsPollMs * 2, 500),
    maxMailboxes: Math.max(0, Math.floor(merged.maxMailboxes)),
    poisonAttempts: Math.max(1, Math.floor(merged.poisonAttempts)),
    fetchBatchSize: Math.max(1, Math.floor(merged.fetchBatchSize)),
  };
};
