import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/app/logger';
import { LogSink } from '../support';

describe('createLogger', () => {
  it('redacts secrets at any depth a log object uses', () => {
    const sink = new LogSink();
    const logger = createLogger({ level: 'info', destination: sink });
    logger.info(
      {
        password: 'top-level-secret',
        headers: { authorization: 'Bearer mr_leak', cookie: 'mailroom_session=leak' },
        mailbox: { secrets: { clientSecret: 'deep-secret', refreshToken: 'deep-token' } },
        user: { email: 'kept@example.test' },
      },
      'something happened',
    );
    const [entry] = sink.entries();
    expect(sink.text).not.toMatch(/top-level-secret|mr_leak|leak|deep-secret|deep-token/);
    expect(entry).toMatchObject({
      level: 'info',
      msg: 'something happened',
      password: '[redacted]',
      headers: { authorization: '[redacted]', cookie: '[redacted]' },
      mailbox: { secrets: { clientSecret: '[redacted]', refreshToken: '[redacted]' } },
      user: { email: 'kept@example.test' },
    });
  });
});
