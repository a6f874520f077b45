import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRedactingLogger, createScrubber, REDACTED, scrubValue } from '../../src/index';
import { createImapFlowLogger } from '../../src/logging/redacting-logger';

describe('createScrubber', () => {
  it('removes a known secret in plain, base64 and URI-encoded form', () => {
    const secret = 'p@ss word/with+chars';
    const scrub = createScrubber([secret]);
    const text = `a ${secret} b ${Buffer.from(secret).toString('base64')} c ${encodeURIComponent(secret)}`;
    const result = scrub(text);
    expect(result).not.toContain(secret);
    expect(result).not.toContain(Buffer.from(secret).toString('base64'));
    expect(result).not.toContain(encodeURIComponent(secret));
    expect(result).toContain(REDACTED);
  });

  it('removes token-shaped text nobody declared', () => {
    const scrub = createScrubber();
    const result = scrub(
      'Authorization: Bearer abc.DEF-123_xyz refresh_token=0.AAAA-bbb&client_secret=s3cr3t "access_token":"tok" eyJhbGciOiJIUzI1.eyJzdWIiOiIxIn0.sig',
    );
    for (const leaked of ['abc.DEF-123_xyz', '0.AAAA-bbb', 's3cr3t', '"tok"', 'eyJhbGciOiJIUzI1']) {
      expect(result).not.toContain(leaked);
    }
  });

  it('never leaves a declared secret behind, whatever surrounds it', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 4, maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        (secret, before, after) => {
          const result = createScrubber([secret])(`${before}${secret}${after}`);
          return !result.includes(secret);
        },
      ),
    );
  });
});

describe('scrubValue', () => {
  it('turns errors into plain scrubbed objects and drops stacks and buffers', () => {
    const secret = 'topsecret-1';
    const error = Object.assign(new Error(`failed with ${secret}`), {
      code: 'X',
      raw: Buffer.from(secret),
    });
    const value = scrubValue(
      { err: error, nested: { list: [secret], map: new Map([['k', secret]]) } },
      createScrubber([secret]),
    );
    const text = JSON.stringify(value);
    expect(text).not.toContain(secret);
    expect(text).not.toContain('"stack"');
    expect(text).toContain('"code":"X"');
  });
});

describe('loggers', () => {
  const capture = () => {
    const lines: string[] = [];
    const write = (obj: object, msg?: string) => lines.push(JSON.stringify({ ...obj, msg }));
    return { lines, logger: { debug: write, info: write, warn: write, error: write } };
  };

  it('scrubs every entry against the secrets known at log time', () => {
    const { lines, logger } = capture();
    const secrets = new Set<string>();
    const log = createRedactingLogger(logger, () => secrets);
    secrets.add('late-secret-value');
    log.info({ detail: 'has late-secret-value inside' }, 'late-secret-value in the message');
    expect(lines.join('\n')).not.toContain('late-secret-value');
  });

  it('hides imapflow client lines of LOGIN and AUTHENTICATE and drops raw socket traces', () => {
    const { lines, logger } = capture();
    const seen: unknown[] = [];
    const imapLogger = createImapFlowLogger(
      logger,
      () => ['pw-123456'],
      (entry) => seen.push(entry),
    );
    imapLogger.debug({ src: 'c', msg: '2 LOGIN "user" "pw-123456"', cid: 'a' });
    imapLogger.debug({ src: 'c', msg: '3 AUTHENTICATE XOAUTH2 dXNlcj1…', cid: 'a' });
    imapLogger.trace?.({ src: 'c', msg: 'write to socket', data: 'MiBMT0dJTg==' });
    imapLogger.debug({ src: 's', msg: '* OK Dovecot ready.', cid: 'a' });
    const text = lines.join('\n');
    expect(text).not.toContain('pw-123456');
    expect(text).not.toContain('dXNlcj1');
    expect(text).not.toContain('MiBMT0dJTg');
    expect(text).toContain('Dovecot ready');
    expect(text).toContain('authentication command hidden');
    expect(seen).toHaveLength(4);
  });

  it('never throws from a logger, even when the target logger does', () => {
    const throwing = () => {
      throw new Error('boom');
    };
    const log = createRedactingLogger(
      { debug: throwing, info: throwing, warn: throwing, error: throwing },
      () => [],
    );
    expect(() => log.error({}, 'x')).not.toThrow();
  });
});
