import { describe, expect, it } from 'vitest';
import { mailboxSettingsSchema, readingSettingsSchema, toFieldIssues } from '../src/index';

const minimal = {
  name: 'Support',
  connection: {
    host: 'imap.example.com',
    port: 993,
    tls: 'implicit',
    username: 'support@example.com',
    replyTo: 'support@example.com',
    authType: 'password',
  },
  policy: {},
  reading: {},
};

describe('mailbox settings', () => {
  it('fill sensible defaults for everything an admin did not choose', () => {
    const settings = mailboxSettingsSchema.parse(minimal);
    expect(settings.connection.connectionTimeoutMs).toBe(15000);
    expect(settings.policy).toMatchObject({ maxTries: 5, coolOffMinutes: 15, timeZone: 'UTC' });
    expect(settings.reading.folders).toEqual({ read: ['INBOX'], postAction: 'mark_seen' });
    expect(settings.reading.autoReply.excludeClasses).toEqual([
      'auto_reply',
      'bounce',
      'complaint',
    ]);
    expect(settings.reading.maxMessageBytes).toBe(25 * 1024 * 1024);
  });

  it('reject a URL as host, a bad skip window and an unknown time zone, naming each field', () => {
    const result = mailboxSettingsSchema.safeParse({
      ...minimal,
      connection: { ...minimal.connection, host: 'https://imap.example.com' },
      policy: { skipWindows: [{ start: '25:00', end: '04:00' }], timeZone: 'Mars/Olympus' },
    });
    expect(result.success).toBe(false);
    const paths = toFieldIssues(result.error!.issues).map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['connection.host', 'policy.skipWindows.0.start', 'policy.timeZone']),
    );
  });

  it('accept only valid alias addresses', () => {
    expect(readingSettingsSchema.safeParse({ aliases: ['help@example.com'] }).success).toBe(true);
    expect(readingSettingsSchema.safeParse({ aliases: ['not an address'] }).success).toBe(false);
  });
});
