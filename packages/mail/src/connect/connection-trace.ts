/**
 * Records which phase a connection attempt is in and how long each phase took. The session's
 * deadline reads the current phase to say what timed out; Test Connection turns the spans into
 * its steps. One trace belongs to one attempt and is written by the transport and the logger.
 */
import type { MailPhase } from '../errors/mail-errors';

export interface PhaseSpan {
  phase: MailPhase;
  startedAt: number;
  endedAt?: number;
  detail?: string;
}

export interface TlsSessionInfo {
  protocol: string | null;
  cipher: string | null;
  /** `ca`: the chain verified against the system CAs (plus a pasted PEM); `self_signed`: accepted by the mailbox's self-signed exception. */
  trustedBy: 'ca' | 'self_signed';
}

export class ConnectionTrace {
  readonly spans: PhaseSpan[] = [];
  tls: TlsSessionInfo | null = null;
  greeting: string | null = null;
  private readonly now: () => number;

  constructor(now: () => number = () => performance.now()) {
    this.now = now;
  }

  /** The phase now running, or the last one if the attempt has finished. */
  get phase(): MailPhase {
    return this.spans.at(-1)?.phase ?? 'configure';
  }

  /** Ends the running span and starts `phase`. */
  enter(phase: MailPhase, detail?: string): void {
    this.end();
    this.spans.push({ phase, startedAt: this.now(), ...(detail === undefined ? {} : { detail }) });
  }

  /** Ends the running span, if any. */
  end(): void {
    const current = this.spans.at(-1);
    if (current !== undefined && current.endedAt === undefined) current.endedAt = this.now();
  }

  describe(detail: string): void {
    const current = this.spans.at(-1);
    if (current !== undefined) current.detail = detail;
  }

  elapsed(span: PhaseSpan): number {
    return Math.round((span.endedAt ?? this.now()) - span.startedAt);
  }
}
