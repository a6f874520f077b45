/**
 * Header text decoding: raw 8-bit header bytes (UTF-8 when valid, else the message's
 * charset, else Windows-1252), raw ISO-2022-JP escapes, and RFC 2047 encoded words,
 * joining adjacent words first so a character split across two words survives. Unknown
 * charsets decode as UTF-8 with replacement characters; nothing here throws.
 */

import { TextDecoder } from 'node:util';

const decoders = new Map<string, TextDecoder | null>();

const charsetAliases: Record<string, string> = {
  'ks_c_5601-1987': 'euc-kr',
  ks_c_5601: 'euc-kr',
  'x-sjis': 'shift_jis',
  'x-euc-jp': 'euc-jp',
  'iso-8859-8-i': 'iso-8859-8',
  'unicode-1-1-utf-8': 'utf-8',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  'x-unknown': 'utf-8',
  cp1252: 'windows-1252',
  'x-mac-roman': 'macintosh',
};

/** A TextDecoder for the charset label, or null when the runtime does not know it. */
export const decoderFor = (charset: string): TextDecoder | null => {
  const label = charset.trim().toLowerCase().replace(/\*.*$/, '');
  const name = charsetAliases[label] ?? label;
  if (decoders.has(name)) return decoders.get(name) ?? null;
  let decoder: TextDecoder | null = null;
  try {
    // UTF-7 is refused on purpose (it can smuggle markup past filters), as mailparser does.
    if (!/utf-?7/.test(name)) decoder = new TextDecoder(name);
  } catch {
    decoder = null;
  }
  decoders.set(name, decoder);
  return decoder;
};

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });
const utf8 = new TextDecoder('utf-8');

/** Bytes of a header as mailparser hands them over (a binary/latin1 string) -> text. */
export const decodeRawHeaderBytes = (
  binary: string,
  fallbackCharset: string | null,
): { text: string; charset: string | null } => {
  // eslint-disable-next-line no-control-regex
  if (!/[\x80-\xff\x1b]/.test(binary)) return { text: binary, charset: null };
  const bytes = Buffer.from(binary, 'latin1');
  if (binary.includes('\x1b$B') || binary.includes('\x1b(J') || binary.includes('\x1b$@')) {
    const jis = decoderFor('iso-2022-jp');
    if (jis) return { text: jis.decode(bytes), charset: 'iso-2022-jp' };
  }
  try {
    return { text: utf8Fatal.decode(bytes), charset: null };
  } catch {
    const declared = fallbackCharset ? decoderFor(fallbackCharset) : null;
    if (declared) return { text: declared.decode(bytes), charset: fallbackCharset };
    return { text: (decoderFor('windows-1252') ?? utf8).decode(bytes), charset: 'windows-1252' };
  }
};

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

const wordBytes = (encoding: string, payload: string): Buffer => {
  if (encoding.toLowerCase() === 'b')
    return Buffer.from(payload.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  const bytes: number[] = [];
  for (let i = 0; i < payload.length; i += 1) {
    const char = payload[i] as string;
    if (char === '_') bytes.push(0x20);
    else if (char === '=' && /^[0-9a-fA-F]{2}$/.test(payload.slice(i + 1, i + 3))) {
      bytes.push(parseInt(payload.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(char.charCodeAt(0) & 0xff);
  }
  return Buffer.from(bytes);
};

/**
 * UTF-7 (RFC 2152), for encoded words only: header text is never markup, so the reason
 * bodies refuse it (hiding `<script>` from filters) does not apply to a subject.
 */
export const decodeUtf7 = (input: string): string =>
  input.replace(/\+([A-Za-z0-9+/]*)-?/g, (match, base64: string) => {
    if (base64 === '') return '+';
    const bytes = Buffer.from(base64, 'base64');
    let out = '';
    for (let i = 0; i + 1 < bytes.length; i += 2)
      out += String.fromCharCode(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
    return out;
  });

const decodeBytes = (charset: string, bytes: Buffer): string =>
  /utf-?7/.test(charset)
    ? decodeUtf7(bytes.toString('latin1'))
    : (decoderFor(charset) ?? utf8).decode(bytes);

type Segment = { text: string } | { charset: string; bytes: Buffer };

/** Decodes RFC 2047 encoded words; whitespace between two encoded words is dropped, as the RFC says. */
export const decodeEncodedWords = (value: string): string => {
  if (!value.includes('=?')) return value;
  const segments: Segment[] = [];
  let last = 0;
  for (const match of value.matchAll(ENCODED_WORD)) {
    const [word, charset = '', encoding = 'q', payload = ''] = match;
    const start = match.index ?? 0;
    const gap = value.slice(last, start);
    const previous = segments[segments.length - 1];
    const betweenWords = previous !== undefined && 'bytes' in previous && /^[ \t\r\n]*$/.test(gap);
    if (gap.length > 0 && !betweenWords) segments.push({ text: gap });
    const label = charset.toLowerCase().replace(/\*.*$/, '');
    segments.push({ charset: label, bytes: wordBytes(encoding, payload) });
    last = start + word.length;
  }
  if (last < value.length) segments.push({ text: value.slice(last) });
  let result = '';
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i] as Segment;
    if ('text' in segment) {
      result += segment.text;
      continue;
    }
    // Join the bytes of adjacent words in one charset: a multi-byte character may span two words.
    const parts = [segment.bytes];
    while (i + 1 < segments.length) {
      const next = segments[i + 1] as Segment;
      if (!('bytes' in next) || next.charset !== segment.charset) break;
      parts.push(next.bytes);
      i += 1;
    }
    result += decodeBytes(segment.charset, Buffer.concat(parts));
  }
  return result;
};

/** Unfolds a header value (CRLF + WSP -> WSP) and trims it. */
export const unfold = (value: string): string =>
  value
    .replace(/\r?\n(?=[ \t])/g, '')
    .replace(/\r?\n/g, ' ')
    .trim();
