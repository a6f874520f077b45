/**
 * Header look-ups over `ParsedEmail.headers` (lower-cased names, in message order).
 * Built once per email so that each rule does not rescan a 200 KB header block.
 * Values are trimmed; nothing here interprets them.
 */
import type { ParsedEmail } from '@mailroom/domain';

export interface HeaderIndex {
  /** Every value of the header, in message order (empty when absent). */
  all(name: string): string[];
  /** The first value, or null when the header is absent. */
  first(name: string): string | null;
  has(name: string): boolean;
}

export const indexHeaders = (headers: ParsedEmail['headers']): HeaderIndex => {
  const byName = new Map<string, string[]>();
  for (const header of Array.isArray(headers) ? headers : []) {
    if (typeof header?.name !== 'string') continue;
    const name = header.name.trim().toLowerCase();
    const value = typeof header.value === 'string' ? header.value.trim() : '';
    const list = byName.get(name);
    if (list) list.push(value);
    else byName.set(name, [value]);
  }
  return {
    all: (name) => byName.get(name) ?? [],
    first: (name) => byName.get(name)?.[0] ?? null,
    has: (name) => byName.has(name),
  };
};

/** Parses `Name: value` lines (a delivery-status or rfc822-headers block) into lower-cased fields. */
export const parseFieldBlock = (text: string): Array<{ name: string; value: string }> => {
  const fields: Array<{ name: string; value: string }> = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length > 0) {
      const last = fields[fields.length - 1];
      if (last) last.value = `${last.value} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) continue;
    fields.push({ name, value: line.slice(colon + 1).trim() });
  }
  return fields;
};

/** Decodes attachment bytes as UTF-8, falling back to Latin-1 for anything that is not. */
export const bytesToText = (bytes: Uint8Array | undefined, maxBytes = 256 * 1024): string => {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0) return '';
  const slice = bytes.subarray(0, maxBytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(slice);
  } catch {
    return new TextDecoder('latin1').decode(slice);
  }
};

/** `<id@host>` or `id@host` (first of a list) -> `id@host`; null when there is none. */
export const normalizeMessageId = (value: string | null | undefined): string | null => {
  if (typeof value !== 'string') return null;
  const bracketed = /<([^<>\s]+)>/.exec(value);
  const id = (bracketed ? bracketed[1] : value.trim().split(/\s+/)[0]) ?? '';
  const clean = id.replace(/^<|>$/g, '').trim();
  return clean.length > 0 && clean.length <= 998 ? clean : null;
};
