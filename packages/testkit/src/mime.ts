/*
 * The few MIME encoders the mail generator needs (RFC 2045 base64 / quoted-printable,
 * RFC 2047 encoded words, RFC 2231 parameters, RFC 5322 dates). Output always uses CRLF.
 * Kept dependency-free on purpose: fixtures must not change when a mail library does.
 */

export const CRLF = '\r\n';

export function isAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/** Base64 in 76-character lines. */
export function base64Lines(data: Buffer): string {
  const encoded = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 76) lines.push(encoded.slice(i, i + 76));
  return lines.join(CRLF);
}

const HEX = '0123456789ABCDEF';
const QP_LITERAL = new Uint8Array(256).map((_, byte) =>
  byte >= 33 && byte <= 126 && byte !== 61 ? 1 : 0,
);

/** Quoted-printable (UTF-8) with soft line breaks at 76 characters; byte-level for speed. */
export function quotedPrintable(text: string): string {
  const input = Buffer.from(text.replaceAll('\r\n', '\n'), 'utf8');
  const out = Buffer.allocUnsafe(input.length * 3 + Math.ceil(input.length / 24) * 3 + 8);
  let o = 0;
  let column = 0;
  for (let i = 0; i < input.length; i += 1) {
    const byte = input[i] as number;
    if (byte === 10) {
      out[o++] = 13;
      out[o++] = 10;
      column = 0;
      continue;
    }
    const endOfLine = i + 1 === input.length || input[i + 1] === 10;
    const literal = QP_LITERAL[byte] === 1 || ((byte === 32 || byte === 9) && !endOfLine);
    const width = literal ? 1 : 3;
    if (column + width > 75) {
      out[o++] = 61;
      out[o++] = 13;
      out[o++] = 10;
      column = 0;
    }
    if (literal) {
      out[o++] = byte;
    } else {
      out[o++] = 61;
      out[o++] = HEX.charCodeAt(byte >> 4);
      out[o++] = HEX.charCodeAt(byte & 15);
    }
    column += width;
  }
  return out.toString('latin1', 0, o);
}

/** An RFC 2047 header value: unchanged when ASCII, else UTF-8 "B" words of <= 45 bytes. */
export function encodeWords(text: string): string {
  if (isAscii(text)) return text;
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (Buffer.byteLength(chunk + char, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words
    .map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`)
    .join(`${CRLF} `);
}

/** `"Name" <addr>` with the display name encoded when needed. */
export function formatAddress(name: string | undefined, address: string): string {
  if (!name) return `<${address}>`;
  if (!isAscii(name)) return `${encodeWords(name)} <${address}>`;
  return /[(),.:;<>@[\]\\"]/.test(name)
    ? `"${name.replaceAll('"', '\\"')}" <${address}>`
    : `${name} <${address}>`;
}

/** `name="file"` or the RFC 2231 form for non-ASCII file names. */
export function fileNameParameter(parameter: string, fileName: string): string {
  if (isAscii(fileName)) return `${parameter}="${fileName.replaceAll('"', '')}"`;
  return `${parameter}*=UTF-8''${encodeURIComponent(fileName)}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 5322 date of `date` as seen in a zone `offsetMinutes` east of UTC. */
export function rfc5322Date(date: Date, offsetMinutes = 0): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${DAYS[local.getUTCDay()]}, ${pad(local.getUTCDate())} ${MONTHS[local.getUTCMonth()]} ${local.getUTCFullYear()} ` +
    `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ` +
    `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
  );
}

/** Folds a long unstructured header value at spaces (RFC 5322 section 2.2.3). */
export function foldHeader(name: string, value: string): string {
  const words = value.split(' ');
  const lines: string[] = [];
  let line = `${name}:`;
  for (const word of words) {
    if (line.length + 1 + word.length > 76 && line.trim() !== `${name}:`) {
      lines.push(line);
      line = ` ${word}`;
    } else {
      line += ` ${word}`;
    }
  }
  lines.push(line);
  return lines.join(CRLF);
}
