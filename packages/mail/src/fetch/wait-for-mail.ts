/**
 * Waits on the open folder until new mail arrives: IMAP IDLE where the server has it, NOOP
 * polling otherwise. It returns as soon as the server reports more messages (EXISTS), when the
 * wait times out, when the caller aborts, or when the connection ends, and always leaves the
 * connection out of IDLE so the caller can fetch at once. Re-entering IDLE right after each
 * fetch is the caller's job: that is what keeps the new-mail delay near the server's floor.
 */
import type { ExistsEvent, ImapFlow } from 'imapflow';
import { createMailError } from '../errors/mail-errors';

export type WaitResult =
  | { reason: 'exists'; count: number }
  | { reason: 'timeout' }
  | { reason: 'aborted' }
  | { reason: 'closed' };

export interface WaitForMailOptions {
  /** Longest wait; keep it below 29 minutes (RFC 9051 asks clients to re-issue IDLE by then). */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Poll interval for servers without IDLE. Default 30 s. */
  pollIntervalMs?: number;
}

export const waitForNewMail = (
  client: ImapFlow,
  options: WaitForMailOptions,
): Promise<WaitResult> => {
  const mailbox = client.mailbox;
  if (mailbox === false) {
    return Promise.reject(
      createMailError(
        'server_error',
        'No folder is open on this connection; open the folder first.',
        {
          phase: 'idle',
        },
      ),
    );
  }
  if (options.signal?.aborted) return Promise.resolve({ reason: 'aborted' });
  const known = mailbox.exists;

  return new Promise<WaitResult>((resolve) => {
    let settled = false;
    let idling: Promise<unknown> | null = null;
    let poller: NodeJS.Timeout | null = null;

    const cleanup = () => {
      clearTimeout(timer);
      if (poller !== null) clearInterval(poller);
      client.off('exists', onExists);
      client.off('close', onClose);
      options.signal?.removeEventListener('abort', onAbort);
    };
    const finish = (result: WaitResult) => {
      if (settled) return;
      settled = true;
      cleanup();
      if (result.reason === 'closed' || !client.usable) {
        resolve(result);
        return;
      }
      // Any command ends IDLE; NOOP is the cheapest. Resolve once IDLE has really ended.
      const breakIdle = client.idling ? client.noop() : Promise.resolve();
      void Promise.allSettled([breakIdle, idling ?? Promise.resolve()]).then(() => resolve(result));
    };
    const onExists = (event: ExistsEvent) => {
      if (event.count > known) finish({ reason: 'exists', count: event.count });
    };
    const onClose = () => finish({ reason: 'closed' });
    const onAbort = () => finish({ reason: 'aborted' });
    const timer = setTimeout(() => finish({ reason: 'timeout' }), options.timeoutMs);

    client.on('exists', onExists);
    client.once('close', onClose);
    options.signal?.addEventListener('abort', onAbort, { once: true });

    if (client.capabilities.has('IDLE')) {
      idling = client.idle().catch(() => undefined);
    } else {
      poller = setInterval(() => {
        client.noop().catch(() => undefined);
      }, options.pollIntervalMs ?? 30_000);
    }
  });
};
