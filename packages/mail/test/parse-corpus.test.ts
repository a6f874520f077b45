/**
 * The whole real-world corpus (test/fixtures/corpus, 205 mails from other projects'
 * test suites): every file parses or is quarantined with a reason, goes through decide()
 * and inspect without throwing, and the source projects' own bounce / auto-reply
 * expectations hold — except where packages/mapping/README.md explains a deliberate
 * difference.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Classification } from '@mailroom/domain';
import { classify, decide, defaultChannelSettings, reasonCodes } from '@mailroom/mapping';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectFiles, inspectParsed } from '../src/inspect/index';
import { parseEmail, type ParseResult } from '../src/parse/index';

const dir = fileURLToPath(new URL('./fixtures/corpus/', import.meta.url));
const manifest = readFileSync(join(dir, 'MANIFEST.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t')[0] as string);
const files = readdirSync(dir)
  .filter((file) => /\.(eml|txt)$/.test(file))
  .sort();

interface Expectation {
  is_bounce?: boolean;
  is_auto_reply?: boolean;
}
const expectations = Object.entries(
  JSON.parse(readFileSync(join(dir, 'autoreply_bounce_expectations.json'), 'utf8')) as Record<
    string,
    Expectation
  >,
).filter(([file]) => files.includes(file));

/** Where Mailroom decides otherwise than the source project, and what it says instead (see README). */
const deliberate: Record<string, { kind: Classification['kind']; rule: string }> = {
  // fml's "you are not a member of this list" is a list server's answer carrying list headers,
  // not a delivery report: bulk (kept by default), not a bounce.
  'sisimai__bsd__lhost-fml-02.eml': { kind: 'bulk', rule: 'header:list-subscribe' },
};

const results = new Map<string, ParseResult>();
beforeAll(async () => {
  for (const file of files) results.set(file, await parseEmail(readFileSync(join(dir, file))));
});
const parsedOf = (file: string) => {
  const result = results.get(file);
  if (!result?.ok) throw new Error(`${file} did not parse`);
  return result.email;
};

describe('the corpus', () => {
  it('is complete: every fixture is in the manifest and every manifest row has its file', () => {
    expect(files).toHaveLength(205);
    expect([...manifest].sort()).toEqual(files);
  });

  it('parses every file, or quarantines it with a reason, and decides on each without throwing', () => {
    const codes = new Set<string>(reasonCodes);
    const unparsed: string[] = [];
    for (const file of files) {
      const result = results.get(file) as ParseResult;
      const line = inspectParsed(file, result, {
        settings: defaultChannelSettings(),
        template: null,
        ownMessageIdDomains: [],
      });
      expect(codes.has(line.decision?.code ?? '')).toBe(true);
      expect(() => JSON.stringify(line)).not.toThrow();
      if (!result.ok) unparsed.push(file);
    }
    // The corpus is odd but readable: nothing in it needs quarantining as unparseable.
    expect(unparsed).toEqual([]);
  });

  it('gives every parsed mail a Message-ID, a subject string and a text string', () => {
    for (const file of files) {
      const email = parsedOf(file);
      expect([
        file,
        typeof email.messageId,
        email.messageId.length > 0,
        typeof email.subject,
        typeof email.text,
      ]).toEqual([file, 'string', true, 'string', 'string']);
    }
  });
});

describe('the source projects’ bounce and auto-reply expectations', () => {
  it('covers the expectations file', () => {
    expect(expectations.length).toBeGreaterThanOrEqual(49);
  });

  it.each(expectations)('%s', (file, expected) => {
    const classification = classify(parsedOf(file));
    const deviation = deliberate[file];
    if (deviation) {
      expect(classification).toMatchObject(deviation);
      return;
    }
    if (expected.is_bounce !== undefined)
      expect(classification.kind === 'bounce').toBe(expected.is_bounce);
    if (expected.is_auto_reply !== undefined) {
      expect(classification.kind === 'auto_reply').toBe(expected.is_auto_reply);
    }
  });
});

describe('delayed delivery reports (Action: delayed)', () => {
  const delayed = [
    'mail__multipart_report_emails__report_422.eml',
    'flanker__bounce__no-mx.eml',
    'mail__mime_emails__raw_email_with_mimepart_without_content_type.eml',
  ];
  it.each(delayed)(
    '%s is an automatic notice, skipped with the auto-replies, not a bounce',
    (file) => {
      const email = parsedOf(file);
      expect(classify(email)).toMatchObject({
        kind: 'auto_reply',
        rule: 'report:delivery-status:delayed',
      });
      expect(decide(email, defaultChannelSettings(), [], { template: null })).toMatchObject({
        kind: 'skip',
        code: 'skipped.auto_reply',
      });
    },
  );

  it('a report whose retries ran out (Action: failed, Status 4.x) is a bounce', () => {
    expect(classify(parsedOf('flanker__bounce__delayed.eml'))).toMatchObject({
      kind: 'bounce',
      rule: 'report:delivery-status',
    });
  });
});

describe('what the corpus is known for', () => {
  it('finds the original Message-ID of bounces, for threading them to the reply that bounced', () => {
    expect(classify(parsedOf('flanker__bounce__zed.eml')).originalMessageId).toBe(
      '20090708054735.GC7578@example.com',
    );
    expect(classify(parsedOf('sisimai__bsd__lhost-exim-01.eml')).originalMessageId).toBe(
      'E1P1ce6-000Egt-GZ@e1.example.org',
    );
  });

  it('classifies spam complaints (ARF) and read receipts', () => {
    expect(classify(parsedOf('flanker__complaints__yahoo.eml')).kind).toBe('complaint');
    expect(classify(parsedOf('flanker__disposition-notification.eml'))).toMatchObject({
      kind: 'auto_reply',
      rule: 'report:disposition-notification',
    });
  });

  const subjects: Array<[string, string]> = [
    ['mail__multi_charset__japanese_iso_2022.eml', 'まみむめも'],
    ['mail__plain_emails__raw_email_string_in_date_field.eml', 'NOTE: 한국말로 하는 것'],
    ['mail__rfc6532__utf8_headers.eml', 'Säying Hello'],
    ['zbateson__m0006.txt', 'Die Hasen und die Frösche (Microsoft Outlook 00)'],
  ];
  it.each(subjects)('decodes the subject of %s', (file, subject) => {
    expect(parsedOf(file).subject).toBe(subject);
  });

  it('reads a header block of 200 KB', () => {
    const email = parsedOf('flanker__long-header.eml');
    expect(email.subject.length).toBeGreaterThan(100_000);
    expect(email.subject.startsWith('Die heiße Zypernsonne')).toBe(true);
  });

  it('reads 8-bit Latin-1 display names', () => {
    expect(parsedOf('flanker__from-encoding.eml').from).toEqual({
      address: 'ingo@blank.pages.de',
      name: 'Ingo Lütkebohle',
    });
  });

  it('keeps TNEF, S/MIME signatures and forwarded messages as attachments', () => {
    expect(parsedOf('zbateson__m4006.txt').attachments[0]).toMatchObject({
      filename: 'winmail.dat',
      contentType: 'application/ms-tnef',
    });
    expect(parsedOf('flanker__signed.eml').attachments.map((a) => a.contentType)).toContain(
      'application/x-pkcs7-signature',
    );
    expect(parsedOf('zbateson__m4007.txt').attachments[0]).toMatchObject({
      contentType: 'message/rfc822',
      isMessage: true,
    });
  });

  it('repairs a UTF-8 attachment name sent without encoding', () => {
    expect(
      parsedOf('flanker__russian-attachment-yahoo.eml').attachments[0]?.filename.startsWith(
        'Картинка с очень',
      ),
    ).toBe(true);
  });
});

describe('inspect over the corpus files', () => {
  it('prints one line per file, with the fields named as specified', async () => {
    const paths = files.map((file) => join(dir, file));
    let count = 0;
    for await (const line of inspectFiles(paths)) {
      expect(line.file).toBe(paths[count]);
      expect(Object.keys(line)).toEqual(
        expect.arrayContaining([
          'file',
          'messageId',
          'from',
          'to',
          'cc',
          'subject',
          'date',
          'text',
          'html',
          'importance',
          'attachments',
          'classification',
          'decision',
        ]),
      );
      expect(line.error).toBeUndefined();
      count += 1;
    }
    expect(count).toBe(files.length);
  });
});
