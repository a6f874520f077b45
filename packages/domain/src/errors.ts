/**
 * One small, transport-free error type for the whole system. Features declare
 * their own stable dotted codes (`mailbox.not_found`, `mail.auth_failed`); the
 * API turns them into RFC 9457 problem+json in exactly one place. Messages are
 * sentences an admin can act on and must never contain a secret.
 */
export type ErrorKind =
  'not_found' | 'invalid' | 'conflict' | 'unauthorized' | 'forbidden' | 'transient' | 'permanent';

export interface FieldIssue {
  path: string;
  message: string;
}

export class MailroomError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  readonly issues: FieldIssue[];
  readonly details: Record<string, unknown>;

  constructor(
    code: string,
    message: string,
    options: {
      kind?: ErrorKind;
      issues?: FieldIssue[];
      details?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MailroomError';
    this.code = code;
    this.kind = options.kind ?? 'invalid';
    this.issues = options.issues ?? [];
    this.details = options.details ?? {};
  }
}

export const isMailroomError = (error: unknown): error is MailroomError =>
  error instanceof MailroomError;

/** Turns zod issues into `path` + `message` pairs, the shape every validation error uses. */
export const toFieldIssues = (
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): FieldIssue[] =>
  issues.map((issue) => ({
    path: issue.path.map((segment) => String(segment)).join('.'),
    message: issue.message,
  }));
