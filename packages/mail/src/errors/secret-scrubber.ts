/**
 * Removes secrets from anything that is about to be logged or kept as error detail. Known
 * secrets (password, tokens, client secret) are replaced wherever they appear, in plain and in
 * base64 form; token-shaped text (Bearer values, JWTs, `refresh_token=...`) is replaced even
 * when nobody told us about it. It must never throw: it runs inside loggers.
 */

export const REDACTED = '[redacted]';

const MIN_SECRET_LENGTH = 4;

const genericPatterns: Array<[RegExp, string]> = [
  [/\bBearer\s+[A-Za-z0-9\-._~+/]+=*/gi, `Bearer ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [
    // \u0001 ends a value inside a SASL XOAUTH2 string (user=..^Aauth=Bearer ..^A^A).
    // eslint-disable-next-line no-control-regex
    /\b(access_token|refresh_token|id_token|client_secret|code_verifier|client_assertion|password|pass|auth=Bearer)(["']?\s*[:=]\s*["']?)[^"'&\s,;}\u0001]+/gi,
    `$1$2${REDACTED}`,
  ],
];

export type Scrub = (text: string) => string;

/** Variants of a secret as it may appear on the wire or in a library's message. */
const variantsOf = (secret: string): string[] => {
  const variants = [secret, Buffer.from(secret, 'utf8').toString('base64')];
  try {
    variants.push(encodeURIComponent(secret));
  } catch {
    // lone surrogates cannot be URI-encoded; the plain form is enough then
  }
  return variants;
};

export const createScrubber = (secrets: Iterable<string | undefined | null> = []): Scrub => {
  const known = [
    ...new Set(
      [...secrets]
        .filter((secret): secret is string => typeof secret === 'string')
        .filter((secret) => secret.length >= MIN_SECRET_LENGTH)
        .flatMap(variantsOf),
    ),
  ].sort((a, b) => b.length - a.length);
  return (text: string) => {
    let result = text;
    for (const secret of known) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    for (const [pattern, replacement] of genericPatterns) {
      result = result.replace(pattern, replacement);
    }
    return result;
  };
};

/** A scrubbed, JSON-safe copy of any value (errors become plain objects, Buffers are dropped). */
export const scrubValue = (value: unknown, scrub: Scrub, depth = 0): unknown => {
  if (typeof value === 'string') return scrub(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? value.toString() : value;
  }
  if (depth > 6) return '[nested]';
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, scrub, depth + 1));
  if (value instanceof Set) return [...value].map((item) => scrubValue(item, scrub, depth + 1));
  if (value instanceof Map) {
    return Object.fromEntries(
      [...value].map(([key, item]) => [String(key), scrubValue(item, scrub, depth + 1)]),
    );
  }
  if (value instanceof Date) return value.toISOString();
  const source = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  if (value instanceof Error) {
    result.name = value.name;
    result.message = scrub(value.message);
  }
  for (const key of Object.keys(source)) {
    // Stacks repeat the message and add nothing an admin needs; socket objects are huge.
    if (key === 'stack' || key === 'socket' || key === '_handle') continue;
    result[key] = scrubValue(source[key], scrub, depth + 1);
  }
  return result;
};
