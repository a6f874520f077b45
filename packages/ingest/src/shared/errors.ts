/**
 * Turns anything thrown into the code + sentence shown in a mailbox's health
 * and in logs. Mail errors already carry a stable `mail.*` code and an admin
 * sentence; anything else becomes `ingest.unexpected` with its message.
 */
import { MailroomError } from '@mailroom/domain';

export interface ErrorSummary {
  code: string;
  message: string;
}

export const summarizeError = (error: unknown): ErrorSummary => {
  if (error instanceof MailroomError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'ingest.unexpected', message: error.message };
  return { code: 'ingest.unexpected', message: String(error) };
};
