/**
 * Turns the worker's health record into the words and tone an admin reads in
 * the mailbox list. Display only: the states themselves are decided by the
 * ingestion engine.
 */
import type { HealthState, MailboxHealth } from '@mailroom/domain';
import { formatRelative, formatWhen } from '../format';

export type Tone = 'ok' | 'busy' | 'warn' | 'bad' | 'idle';

export interface HealthView {
  label: string;
  tone: Tone;
  detail: string | null;
  /** Set when a human must act (re-authorize, fix settings). */
  callToAction: string | null;
}

const labels: Record<HealthState, string> = {
  idle: 'Not running',
  connecting: 'Connecting',
  syncing: 'Syncing',
  listening: 'Listening',
  retrying: 'Retrying',
  failed: 'Failed',
  skipped: 'Skip window',
  auth_required: 'Sign-in required',
  stopped: 'Stopped',
};

const tones: Record<HealthState, Tone> = {
  idle: 'idle',
  connecting: 'busy',
  syncing: 'busy',
  listening: 'ok',
  retrying: 'warn',
  failed: 'bad',
  skipped: 'idle',
  auth_required: 'bad',
  stopped: 'idle',
};

export function healthView(
  health: MailboxHealth,
  options: { status: string; authType: string; now?: number },
): HealthView {
  const now = options.now ?? Date.now();
  const at = (value: string | null) =>
    value ? `${formatWhen(value)} (${formatRelative(value, now)})` : 'soon';
  let detail: string | null = null;
  let callToAction: string | null = null;
  switch (health.state) {
    case 'syncing':
      detail = health.progress
        ? `Initial sync: ${health.progress.done.toLocaleString()} of ${health.progress.total.toLocaleString()} emails`
        : 'Reading new mail';
      break;
    case 'listening':
      detail = 'Up to date; new mail arrives within seconds';
      break;
    case 'retrying':
      detail = `Attempt ${health.attempt} of ${health.maxAttempts}; next attempt ${at(health.nextAttemptAt)}`;
      break;
    case 'failed':
      detail = `Gave up after ${health.maxAttempts || health.attempt} attempts; cooling off until ${at(health.nextAttemptAt)}`;
      break;
    case 'skipped':
      detail = `Inside a skip window until ${at(health.nextAttemptAt)}`;
      break;
    case 'auth_required':
      detail = 'The mail server no longer accepts the stored credentials.';
      callToAction =
        options.authType === 'oauth2'
          ? 'Open the mailbox and sign in with Microsoft again.'
          : 'Open the mailbox, enter the current password and save.';
      break;
    case 'idle':
    case 'stopped':
      detail =
        options.status === 'active'
          ? 'Waiting for a worker to pick it up'
          : options.status === 'paused'
            ? 'Paused: no mail is read'
            : 'Draft: activate it to start reading mail';
      break;
    case 'connecting':
      detail = 'Opening the IMAP connection';
      break;
  }
  return { label: labels[health.state], tone: tones[health.state], detail, callToAction };
}

export const statusLabels: Record<string, string> = {
  draft: 'Draft',
  active: 'Active',
  paused: 'Paused',
};
