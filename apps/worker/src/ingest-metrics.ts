/**
 * Prometheus metrics for ingestion: the engine reports events through its
 * observer, and a gauge reads the running mailboxes' health states from the
 * engine's snapshot at scrape time. Registered on the worker's own registry,
 * never on prom-client's global one.
 */
import type { EngineObserver, EngineSnapshot } from '@mailroom/ingest';
import { Counter, Gauge, type Registry } from 'prom-client';

export const createIngestMetrics = (
  registry: Registry,
  snapshot: () => EngineSnapshot | null,
): EngineObserver => {
  const messages = new Counter({
    name: 'mailroom_ingest_messages_total',
    help: 'Mails that got their ledger row, by outcome (duplicate: the position was already in the ledger)',
    labelNames: ['outcome', 'duplicate'],
    registers: [registry],
  });
  const connections = new Counter({
    name: 'mailroom_ingest_connections_total',
    help: 'IMAP connection attempts by result: ok, transient, auth or permanent failure',
    labelNames: ['result'],
    registers: [registry],
  });
  const postActions = new Counter({
    name: 'mailroom_ingest_post_actions_total',
    help: 'Post-actions (mark seen / move) sent to mail servers after their mails committed',
    registers: [registry],
  });
  new Gauge({
    name: 'mailroom_ingest_mailboxes',
    help: 'Mailboxes this worker runs, by health state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const entry of snapshot()?.mailboxes ?? []) this.inc({ state: entry.health.state });
    },
  });
  return {
    message: (_mailboxId, outcome, duplicate) =>
      messages.inc({ outcome, duplicate: duplicate ? 'true' : 'false' }),
    connection: (_mailboxId, result) => connections.inc({ result }),
    postActions: (_mailboxId, count) => postActions.inc(count),
  };
};
