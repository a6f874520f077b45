/**
 * Raw bytes -> `ParsedEmail`, the shape everything after the parse step relies on. Built
 * on mailparser, with our own header decoding (8-bit and ISO-2022-JP headers, encoded
 * words), a stable derived Message-ID when a mail has none, dates that are null rather
 * than "now" when unreadable, and both hashes per attachment. Bad mail never throws: it
 * comes back as `{ ok: false }` with a reason, for a quarantine decision.
 */
import type { ParsedEmail } from '@mailroom/domain';
import { importanceFromHeaders, indexHeaders, normalizeMessageId } from '@mailroom/mapping';
import { TextDecoder } from 'node:util';
import { simpleParser, type ParsedMail, type SimpleParserOptions } from 'mailparser';
import { addressesOnly, firstAddress } from './addresses';
import { toParsedAttachments } from './attachments';
import { decodeEncodedWords, decodeRawHeaderBytes, unfold } from './encoded-words';
import { deriveMessageId, messageIdList } from './message-ids';
import { readLimited, type RawInput } from './read-limited';

/** The default size limit, as in the Reading Settings (25 MB). */
export const DEFAULT_MAX_BYTES = 25 * 1024 * 1024;

export interface ParseOptions {
  /** Larger mail is not read past this many bytes and comes back as `too_large`. */
  maxBytes?: number;
}

export interface ParseFailure {
  code: 'unparseable' | 'too_large';
  /** A sentence for the admin. */
  message: string;
  /** Bytes read; for `too_large`, at least this many. */
  size: number;
  maxBytes: number;
}

export type ParseResult =
  | { ok: true; email: ParsedEmail; raw: Buffer }
  | { ok: false; failure: ParseFailure; raw: Buffer | null };

/** HTML longer than this is not converted to text by mailparser (its converter is slow on huge input). */
const MAX_HTML_TO_TEXT = 2 * 1024 * 1024;

const parserOptions: SimpleParserOptions = {
  keepDeliveryStatus: true,
  keepCidLinks: true,
  skipImageLinks: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  maxHtmlLengthToParse: MAX_HTML_TO_TEXT,
  // Forwarded mails stay attachments (message/rfc822) instead of being merged into the body.
  ignoreEmbedded: true,
};

const SINGLE = ['from', 'sender', 'subject', 'date', 'message-id', 'in-reply-to', 'content-type'];

const errorText = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

const parseDate = (value: string | null): string | null => {
  if (value === null) return null;
  // Comments such as "(PDT)" or "(UTC)" confuse Date.parse; the numeric zone is what counts.
  const cleaned = value
    .replace(/\([^()]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (cleaned.length === 0 || cleaned.length > 200) return null;
  const time = Date.parse(cleaned);
  if (Number.isNaN(time)) return null;
  const date = new Date(time);
  const year = date.getUTCFullYear();
  return year >= 1970 && year <= 9999 ? date.toISOString() : null;
};

const topContentType = (mail: ParsedMail): string => {
  const header = mail.headers.get('content-type');
  if (
    header &&
    typeof header === 'object' &&
    'value' in header &&
    typeof header.value === 'string'
  ) {
    const params =
      'params' in header && header.params && typeof header.params === 'object' ? header.params : {};
    const extra = Object.entries(params as Record<string, string>)
      .filter(([name]) => name !== 'boundary')
      .map(([name, value]) => `; ${name}=${value}`)
      .join('');
    return `${header.value.toLowerCase()}${extra}`;
  }
  return 'text/plain';
};

const charsetOf = (contentType: string): string | null => {
  const charset = /;\s*charset=([^;\s]+)/i.exec(contentType)?.[1]?.replace(/"/g, '') ?? null;
  return charset && !/^(us-)?ascii$|^utf-?8$/i.test(charset) ? charset : null;
};

const stripTags = (html: string): string =>
  html
    .slice(0, MAX_HTML_TO_TEXT)
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();

const MAX_RAW_BODY_TEXT = 1024 * 1024;

/** The bytes after the header block, as text (UTF-8 when valid, else Latin-1). */
const rawBody = (raw: Buffer): string => {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf >= 0 ? crlf + 4 : -1, lf >= 0 ? lf + 2 : -1].filter((end) => end >= 0);
  if (ends.length === 0) return '';
  const bytes = raw.subarray(Math.min(...ends), Math.min(...ends) + MAX_RAW_BODY_TEXT);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.includes('\ufffd') ? bytes.toString('latin1') : text;
};

/** Parses one raw email. Resolves for every input; rejects only if the input stream fails. */
export const parseEmail = async (
  input: RawInput,
  options: ParseOptions = {},
): Promise<ParseResult> => {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const read = await readLimited(input, maxBytes);
  if (!read.ok) {
    return {
      ok: false,
      raw: null,
      failure: {
        code: 'too_large',
        message: `the message is larger than the limit of ${maxBytes} bytes (at least ${read.size} bytes)`,
        size: read.size,
        maxBytes,
      },
    };
  }
  const raw = read.bytes;
  const fail = (message: string): ParseResult => ({
    ok: false,
    raw,
    failure: { code: 'unparseable', message, size: raw.length, maxBytes },
  });
  if (raw.length === 0 || !/[^\s]/.test(raw.subarray(0, 4096).toString('latin1'))) {
    return fail('the message is empty');
  }

  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, parserOptions);
  } catch (error) {
    return fail(`the MIME structure could not be read (${errorText(error)})`);
  }
  const lines = (mail.headerLines ?? []).filter((line) => line.key.length > 0);
  if (lines.length === 0)
    return fail('the message has no header fields, so it does not look like an email');

  try {
    return { ok: true, raw, email: toParsedEmail(mail, lines, raw) };
  } catch (error) {
    // Defensive: a mailparser result we did not foresee must not crash the worker.
    return fail(`the parsed message could not be read (${errorText(error)})`);
  }
};

const toParsedEmail = (
  mail: ParsedMail,
  lines: ParsedMail['headerLines'],
  raw: Buffer,
): ParsedEmail => {
  const warnings: string[] = [];
  const contentType = topContentType(mail);
  const fallbackCharset = charsetOf(contentType);
  const rawValues = new Map<string, string[]>();
  const headers: ParsedEmail['headers'] = [];
  let reportedCharset = false;
  for (const { key, line } of lines) {
    const colon = line.indexOf(':');
    const binary = colon >= 0 ? line.slice(colon + 1) : '';
    const { text, charset } = decodeRawHeaderBytes(binary, fallbackCharset);
    if (charset && !reportedCharset) {
      warnings.push(`header ${key} is not UTF-8; read as ${charset}`);
      reportedCharset = true;
    }
    const unfolded = unfold(text);
    const list = rawValues.get(key);
    if (list) list.push(unfolded);
    else rawValues.set(key, [unfolded]);
    headers.push({ name: key, value: decodeEncodedWords(unfolded) });
  }
  for (const name of SINGLE) {
    if ((rawValues.get(name)?.length ?? 0) > 1)
      warnings.push(`more than one ${name} header; the first is used`);
  }
  const raw1 = (name: string): string[] => rawValues.get(name) ?? [];
  const index = indexHeaders(headers);

  const givenId = normalizeMessageId(index.first('message-id'));
  const messageIdDerived = givenId === null || /\s/.test(givenId);
  if (messageIdDerived) warnings.push('no usable Message-ID; one was derived from the raw message');

  const date = parseDate(index.first('date'));
  if (date === null)
    warnings.push(index.has('date') ? 'the Date header could not be read' : 'no Date header');

  const html = typeof mail.html === 'string' && mail.html.length > 0 ? mail.html : null;
  let text = typeof mail.text === 'string' ? mail.text : '';
  if (mail.textConversionError) {
    warnings.push(
      `the HTML body was not converted to text (${errorText(mail.textConversionError)})`,
    );
    if (text.trim().length === 0 && html !== null) text = stripTags(html);
  }
  const attachments = toParsedAttachments(mail.attachments ?? [], html);
  if (text.trim().length === 0 && html === null && attachments.length === 0) {
    // MIME so broken that no part was found (a boundary that never occurs, an unfolded
    // parameter line): show the raw body rather than lose what the sender wrote.
    const body = rawBody(raw);
    if (body.trim().length > 0) {
      text = body;
      warnings.push('no readable MIME part was found; the raw body is shown as text');
    }
  }

  const returnPathValue = index.first('return-path');
  const returnPath =
    returnPathValue === null
      ? null
      : /^<\s*>$/.test(returnPathValue)
        ? ''
        : (normalizeMessageId(returnPathValue)?.toLowerCase() ?? returnPathValue.toLowerCase());

  return {
    messageId: messageIdDerived ? deriveMessageId(raw) : (givenId as string),
    messageIdDerived,
    inReplyTo: messageIdList(index.all('in-reply-to')),
    references: messageIdList(index.all('references')),
    from: firstAddress(raw1('from').slice(0, 1)),
    sender: firstAddress(raw1('sender').slice(0, 1)),
    replyTo: addressesOnly(raw1('reply-to')),
    to: addressesOnly(raw1('to')),
    cc: addressesOnly(raw1('cc')),
    deliveredTo: addressesOnly(raw1('delivered-to')).map((entry) => entry.address),
    returnPath,
    subject: index.first('subject') ?? '',
    date,
    text,
    html,
    importance: importanceFromHeaders(index),
    attachments,
    headers,
    contentType,
    size: raw.length,
    warnings,
  };
};
