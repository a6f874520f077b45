import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { generateMail, startSmtpSink, type SmtpSink } from '@mailroom/testkit';

let sink: SmtpSink | undefined;
afterEach(async () => {
  await sink?.stop();
  sink = undefined;
});

describe('startSmtpSink', () => {
  it('receives a nodemailer message over STARTTLS with AUTH PLAIN', async () => {
    sink = await startSmtpSink({ users: { agent: 'pw' } });
    const transport = nodemailer.createTransport(
      sink.transportOptions({ user: 'agent', pass: 'pw' }),
    );
    const info = await transport.sendMail({
      from: 'support@mailroom.test',
      to: 'customer@example.com',
      subject: 'Re: Your ticket [#1042]',
      text: 'We are on it.',
    });
    expect(info.accepted).toEqual(['customer@example.com']);
    const [message] = await sink.waitForMessages(1);
    expect(message).toMatchObject({
      from: 'support@mailroom.test',
      to: ['customer@example.com'],
      user: 'agent',
      secure: true,
    });
    expect(message!.raw.toString()).toMatch(/^Subject: Re: Your ticket \[#1042\]$/m);
    transport.close();
  });

  it('accepts XOAUTH2 only with a valid token and refuses a wrong password', async () => {
    sink = await startSmtpSink({
      users: { agent: 'pw' },
      validateAccessToken: (user, token) => user === 'agent@tenant.test' && token === 'good-token',
    });
    const oauth = nodemailer.createTransport(
      sink.transportOptions({ user: 'agent@tenant.test', accessToken: 'good-token' }),
    );
    await oauth.sendMail({
      from: 'a@mailroom.test',
      to: 'b@example.com',
      raw: generateMail(1).raw,
    });
    const badToken = nodemailer.createTransport(
      sink.transportOptions({ user: 'agent@tenant.test', accessToken: 'revoked' }),
    );
    await expect(
      badToken.sendMail({ from: 'a@mailroom.test', to: 'b@example.com', text: 'x' }),
    ).rejects.toMatchObject({
      code: 'EAUTH',
    });
    const badPassword = nodemailer.createTransport(
      sink.transportOptions({ user: 'agent', pass: 'nope' }),
    );
    await expect(
      badPassword.sendMail({ from: 'a@mailroom.test', to: 'b@example.com', text: 'x' }),
    ).rejects.toMatchObject({
      responseCode: 535,
    });
    expect(sink.messages).toHaveLength(1);
    expect(sink.messages[0]!.raw.equals(generateMail(1).raw)).toBe(true);
    // nodemailer may try a refused XOAUTH2 token twice, so compare the distinct outcomes.
    const outcomes = new Set(sink.authAttempts.map((a) => `${a.method}:${a.user}:${a.success}`));
    expect(outcomes).toEqual(
      new Set([
        'XOAUTH2:agent@tenant.test:true',
        'XOAUTH2:agent@tenant.test:false',
        'PLAIN:agent:false',
      ]),
    );
    for (const t of [oauth, badToken, badPassword]) t.close();
  });

  it('serves implicit TLS and rejects a recipient on request', async () => {
    sink = await startSmtpSink({ secure: true });
    const transport = nodemailer.createTransport(sink.transportOptions());
    sink.rejectNext('rcpt', 550, '5.1.1 User unknown');
    await expect(
      transport.sendMail({ from: 'a@mailroom.test', to: 'gone@example.com', text: 'x' }),
    ).rejects.toMatchObject({
      responseCode: 550,
    });
    await transport.sendMail({ from: 'a@mailroom.test', to: 'here@example.com', text: 'x' });
    const [message] = await sink.waitForMessages(1);
    expect(message).toMatchObject({ to: ['here@example.com'], secure: true });
    transport.close();
  });
});
