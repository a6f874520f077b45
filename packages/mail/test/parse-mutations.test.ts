/**
 * Mutated corpus files — truncated, bytes flipped, headers duplicated, noise inserted —
 * never crash parsing: parseEmail() resolves with a mail or an `unparseable` failure,
 * and decide() and inspect accept whatever comes out. Runs are bounded (a few seconds).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decide, defaultChannelSettings, parseFailureDecision } from '@mailroom/mapping';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inspectParsed } from '../src/inspect/index';
import { parseEmail } from '../src/parse/index';

const dir = fileURLToPath(new URL('./fixtures/corpus/', import.meta.url));
const corpus = readdirSync(dir)
  .filter((file) => /\.(eml|txt)$/.test(file))
  .sort()
  .map((file) => ({ file, bytes: readFileSync(join(dir, file)) }));

const mail = fc.constantFrom(...corpus);
const channel = { settings: defaultChannelSettings(), template: null, ownMessageIdDomains: [] };

const headerEnd = (bytes: Buffer): number => {
  const crlf = bytes.indexOf('\r\n\r\n');
  const lf = bytes.indexOf('\n\n');
  const ends = [crlf, lf].filter((at) => at >= 0);
  return ends.length > 0 ? Math.min(...ends) : bytes.length;
};

/** Parses and decides; fails the property on a rejection or a throw. */
const survives = async (bytes: Buffer) => {
  const result = await parseEmail(bytes);
  if (result.ok) decide(result.email, channel.settings, [], { template: null });
  else {
    expect(result.failure.code).toBe('unparseable');
    parseFailureDecision(result.failure);
  }
  JSON.stringify(inspectParsed('mutated.eml', result, channel));
};

const runs = { numRuns: 250 };

describe('mutated corpus files never crash parsing', () => {
  it('truncated anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(mail, fc.double({ min: 0, max: 1, noNaN: true }), async ({ bytes }, at) => {
        await survives(bytes.subarray(0, Math.floor(bytes.length * at)));
      }),
      runs,
    );
  });

  it('with bytes flipped', async () => {
    await fc.assert(
      fc.asyncProperty(
        mail,
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
            fc.integer({ min: 0, max: 255 }),
          ),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        async ({ bytes }, flips) => {
          const copy = Buffer.from(bytes);
          for (const [at, value] of flips) copy[Math.floor(at * copy.length)] = value;
          await survives(copy);
        },
      ),
      runs,
    );
  });

  it('with header lines duplicated many times', async () => {
    await fc.assert(
      fc.asyncProperty(
        mail,
        fc.integer({ min: 1, max: 60 }),
        fc.nat(),
        async ({ bytes }, times, pick) => {
          const end = headerEnd(bytes);
          const lines = bytes.subarray(0, end).toString('latin1').split(/\r?\n/);
          const line = lines[pick % lines.length] ?? '';
          const duplicated = Array.from({ length: times }, () => line).join('\r\n');
          await survives(Buffer.concat([Buffer.from(`${duplicated}\r\n`, 'latin1'), bytes]));
        },
      ),
      runs,
    );
  });

  it('with the whole header block repeated and noise inserted', async () => {
    await fc.assert(
      fc.asyncProperty(
        mail,
        fc.uint8Array({ maxLength: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async ({ bytes }, noise, at) => {
          const head = bytes.subarray(0, headerEnd(bytes));
          const cut = Math.floor(bytes.length * at);
          await survives(
            Buffer.concat([
              head,
              Buffer.from('\r\n'),
              bytes.subarray(0, cut),
              Buffer.from(noise),
              bytes.subarray(cut),
            ]),
          );
        },
      ),
      runs,
    );
  });

  it('parses the same bytes to the same result every time', async () => {
    await fc.assert(
      fc.asyncProperty(mail, async ({ bytes }) => {
        const [a, b] = [await parseEmail(bytes), await parseEmail(Buffer.from(bytes))];
        expect(
          a.ok && b.ok && a.email.messageId === b.email.messageId && a.email.text === b.email.text,
        ).toBe(true);
      }),
      { numRuns: 30 },
    );
  });
});
