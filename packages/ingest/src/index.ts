export * from './policy/skip-windows';
export * from './policy/retry-policy';
export {
  createIngestEngine,
  type CreateIngestEngineInput,
  type EngineSnapshot,
  type IngestEngine,
} from './engine/ingest-engine';
export {
  defaultEngineOptions,
  resolveEngineOptions,
  type IngestEngineOptions,
} from './engine/engine-options';
export { createMailboxTokenStore } from './credentials/mailbox-token-store';
export type { EngineObserver } from './runner/mailbox-runner';
export type { HealthView } from './health/health-reporter';
export {
  createMemoryAttemptStore,
  type AttemptPosition,
  type AttemptRecord,
  type AttemptStore,
} from './sync/attempt-store';
export { planPostAction, type PlannedPostAction } from './sync/post-actions';
export { toThreadHits } from './sync/thread-hits';
export type { IngestDecisionFn } from './sync/process-message';
