/**
 * Micro-benchmark: how many mails per second one core turns from raw bytes into a
 * decision (parseEmail + decide, the default inspect channel), on the real-world corpus.
 * Writes its figures to bench/results/parse-decide.json; it is not a test and asserts
 * nothing. Compare figures only within one run: the machine is noisy.
 *
 *   pnpm exec tsx bench/parse-decide.ts [--rounds 10] [--corpus DIR]
 */
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseEmail } from '../packages/mail/src/index';
import { decide, defaultChannelSettings } from '../packages/mapping/src/index';

const here = dirname(fileURLToPath(import.meta.url));
// mailparser is the mail package's dependency, not the workspace root's: resolve it from there.
const { simpleParser } = createRequire(join(here, '../packages/mail/package.json'))(
  'mailparser',
) as { simpleParser: (input: Buffer, options: Record<string, boolean>) => Promise<unknown> };
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '10' },
    corpus: { type: 'string', default: join(here, '../packages/mail/test/fixtures/corpus') },
    out: { type: 'string', default: join(here, 'results/parse-decide.json') },
  },
});
const rounds = Math.max(1, Number(values.rounds));
const corpusDir = values.corpus;
const mails = readdirSync(corpusDir)
  .filter((file) => /\.(eml|txt)$/.test(file))
  .sort()
  .map((file) => ({ file, bytes: readFileSync(join(corpusDir, file)) }));
const totalBytes = mails.reduce((sum, mail) => sum + mail.bytes.length, 0);
const channel = defaultChannelSettings();

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? 0;
const median = (list: number[]) =>
  percentile(
    [...list].sort((a, b) => a - b),
    0.5,
  );

interface Stage {
  mailsPerSecond: number[];
  perMailMs: number[];
}
const stage = (): Stage => ({ mailsPerSecond: [], perMailMs: [] });
const stages = {
  mailparserOnly: stage(),
  parse: stage(),
  decide: stage(),
  parseAndDecide: stage(),
};
const slowest = new Map<string, number>();

const run = async (measure: boolean) => {
  // mailparser alone, with the options parseEmail uses: the floor our parse layer adds to.
  let started = performance.now();
  for (const { bytes } of mails)
    await simpleParser(bytes, {
      keepDeliveryStatus: true,
      keepCidLinks: true,
      skipImageLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      ignoreEmbedded: true,
    });
  const mailparserMs = performance.now() - started;

  const parsed = [];
  started = performance.now();
  for (const { bytes } of mails) parsed.push(await parseEmail(bytes));
  const parseMs = performance.now() - started;

  started = performance.now();
  for (const result of parsed) if (result.ok) decide(result.email, channel, [], { template: null });
  const decideMs = performance.now() - started;

  started = performance.now();
  for (const { file, bytes } of mails) {
    const t0 = performance.now();
    const result = await parseEmail(bytes);
    if (result.ok) decide(result.email, channel, [], { template: null });
    const ms = performance.now() - t0;
    if (measure) {
      stages.parseAndDecide.perMailMs.push(ms);
      slowest.set(file, Math.max(slowest.get(file) ?? 0, ms));
    }
  }
  const bothMs = performance.now() - started;

  if (measure) {
    const rate = (ms: number) => (mails.length / ms) * 1000;
    stages.mailparserOnly.mailsPerSecond.push(rate(mailparserMs));
    stages.parse.mailsPerSecond.push(rate(parseMs));
    stages.decide.mailsPerSecond.push(rate(decideMs));
    stages.parseAndDecide.mailsPerSecond.push(rate(bothMs));
  }
};

await run(false); // warm-up: JIT, charset tables, first-use allocations
for (let round = 0; round < rounds; round += 1) await run(true);

const perMail = [...stages.parseAndDecide.perMailMs].sort((a, b) => a - b);
const summary = (s: Stage) => ({
  medianMailsPerSecond: Math.round(median(s.mailsPerSecond)),
  minMailsPerSecond: Math.round(Math.min(...s.mailsPerSecond)),
  maxMailsPerSecond: Math.round(Math.max(...s.mailsPerSecond)),
});
const report = {
  benchmark: 'parse-decide',
  what: 'parseEmail (mailparser + Mailroom header decoding, hashes) then decide() with the default inspect channel, one core, sequential',
  measuredAt: new Date().toISOString(),
  machine: { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length },
  corpus: {
    dir: relative(process.cwd(), corpusDir) || '.',
    mails: mails.length,
    bytes: totalBytes,
    medianBytes: median(mails.map((m) => m.bytes.length)),
  },
  rounds,
  mailparserOnly: summary(stages.mailparserOnly),
  parse: summary(stages.parse),
  decide: summary(stages.decide),
  parseAndDecide: {
    ...summary(stages.parseAndDecide),
    megabytesPerSecond: Number(
      (
        (totalBytes / 1024 / 1024) *
        (median(stages.parseAndDecide.mailsPerSecond) / mails.length)
      ).toFixed(1),
    ),
    perMailMs: {
      p50: Number(percentile(perMail, 0.5).toFixed(3)),
      p95: Number(percentile(perMail, 0.95).toFixed(3)),
      p99: Number(percentile(perMail, 0.99).toFixed(3)),
      max: Number(percentile(perMail, 1).toFixed(3)),
    },
    slowestMails: [...slowest]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([file, ms]) => ({ file, ms: Number(ms.toFixed(2)) })),
  },
};
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
console.log(
  `parse+decide: ${report.parseAndDecide.medianMailsPerSecond} mails/s median over ${rounds} rounds of ${mails.length} mails ` +
    `(parse ${report.parse.medianMailsPerSecond}/s, decide ${report.decide.medianMailsPerSecond}/s, mailparser alone ${report.mailparserOnly.medianMailsPerSecond}/s) -> ${relative(process.cwd(), values.out)}`,
);
