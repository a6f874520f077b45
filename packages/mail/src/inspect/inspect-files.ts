/**
 * `mailroom inspect` as a library: for each file, parse it the way the worker does,
 * classify it, decide with the given channel, and describe all of it as one JSON-safe
 * object, so an admin can answer "why did this email not become a ticket?" without a
 * database or a mail server. Thread look-ups need the database, so none is found here:
 * the keys that would be looked up are printed instead.
 */
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type {
  Classification,
  Decision,
  EmailAddress,
  Importance,
  MessageDraft,
  ParsedAttachment,
  ThreadKeys,
} from '@mailroom/domain';
import { classify, decide, parseFailureDecision, threadKeys } from '@mailroom/mapping';
import { parseEmail, type ParseResult } from '../parse/index';
import { defaultInspectChannel, type InspectChannel } from './inspect-channel';

export interface InspectedAttachment {
  filename: string;
  contentType: string;
  size: number;
  contentId: string | null;
  inline: boolean;
  md5: string;
  sha256: string;
}

/** One line of `mailroom inspect` output. */
export interface InspectLine {
  /** The path as given. */
  file: string;
  messageId: string | null;
  messageIdDerived: boolean | null;
  from: EmailAddress | null;
  to: EmailAddress[];
  cc: EmailAddress[];
  subject: string | null;
  date: string | null;
  text: string | null;
  html: string | null;
  importance: Importance | null;
  attachments: InspectedAttachment[];
  size: number | null;
  warnings: string[];
  classification: Classification | null;
  threadKeys: ThreadKeys | null;
  /** Null only when the file could not be read. */
  decision: JsonDecision | null;
  /** Set when the file could not be read at all. */
  error?: { code: string; message: string };
}

type JsonMessage = Omit<MessageDraft, 'attachments'> & { attachments: InspectedAttachment[] };
export type JsonDecision =
  | Exclude<Decision, { kind: 'create' } | { kind: 'append' }>
  | (Omit<Extract<Decision, { kind: 'append' }>, 'message'> & { message: JsonMessage })
  | (Omit<Extract<Decision, { kind: 'create' }>, 'ticket'> & {
      ticket: Omit<Extract<Decision, { kind: 'create' }>['ticket'], 'message'> & {
        message: JsonMessage;
      };
    });

const describeAttachment = (attachment: ParsedAttachment): InspectedAttachment => ({
  filename: attachment.filename,
  contentType: attachment.contentType,
  size: attachment.size,
  contentId: attachment.contentId,
  inline: attachment.inline,
  md5: attachment.md5,
  sha256: attachment.sha256,
});

const jsonMessage = (message: MessageDraft): JsonMessage => ({
  ...message,
  attachments: message.attachments.map(describeAttachment),
});

/** The decision without attachment bytes. */
export const toJsonDecision = (decision: Decision): JsonDecision => {
  if (decision.kind === 'append') return { ...decision, message: jsonMessage(decision.message) };
  if (decision.kind === 'create') {
    return {
      ...decision,
      ticket: { ...decision.ticket, message: jsonMessage(decision.ticket.message) },
    };
  }
  return decision;
};

const empty = (file: string): InspectLine => ({
  file,
  messageId: null,
  messageIdDerived: null,
  from: null,
  to: [],
  cc: [],
  subject: null,
  date: null,
  text: null,
  html: null,
  importance: null,
  attachments: [],
  size: null,
  warnings: [],
  classification: null,
  threadKeys: null,
  decision: null,
});

/** Describes one parse result under the channel (no I/O). */
export const inspectParsed = (
  file: string,
  result: ParseResult,
  channel: InspectChannel,
): InspectLine => {
  if (!result.ok) {
    return {
      ...empty(file),
      size: result.failure.size,
      decision: toJsonDecision(parseFailureDecision(result.failure)),
    };
  }
  const { email } = result;
  const classification = classify(email, { keywords: channel.settings.reading.autoReply.keywords });
  const decision = decide(email, channel.settings, [], {
    template: channel.template,
    ownMessageIdDomains: channel.ownMessageIdDomains,
  });
  return {
    file,
    messageId: email.messageId,
    messageIdDerived: email.messageIdDerived,
    from: email.from,
    to: email.to,
    cc: email.cc,
    subject: email.subject,
    date: email.date,
    text: email.text,
    html: email.html,
    importance: email.importance,
    attachments: email.attachments.map(describeAttachment),
    size: email.size,
    warnings: email.warnings,
    classification,
    threadKeys: threadKeys(email, classification),
    decision: toJsonDecision(decision),
  };
};

export interface InspectOptions {
  channel?: InspectChannel;
  /** Relative paths are read from here (the line still shows the path as given). Default: the process's cwd. */
  cwd?: string;
}

/** Inspects the files one by one, in order; a file that cannot be read yields a line with `error`. */
export async function* inspectFiles(
  files: readonly string[],
  options: InspectOptions = {},
): AsyncGenerator<InspectLine> {
  const channel = options.channel ?? defaultInspectChannel();
  for (const file of files) {
    let result: ParseResult;
    try {
      result = await parseEmail(createReadStream(resolve(options.cwd ?? '.', file)), {
        maxBytes: channel.settings.reading.maxMessageBytes,
      });
    } catch (error) {
      yield {
        ...empty(file),
        error: {
          code: 'inspect.file_unreadable',
          message: `${file} could not be read: ${(error as Error).message}`,
        },
      };
      continue;
    }
    yield inspectParsed(file, result, channel);
  }
}
