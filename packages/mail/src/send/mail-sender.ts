/**
 * Outgoing mail (agent replies) over SMTP with nodemailer: password login or XOAUTH2 with an
 * access token from the mailbox's TokenProvider, the same TLS modes and per-mailbox trust as
 * IMAP, and failures mapped to the same `mail.*` codes (phase `send`). A transport is opened
 * per message so every send uses a current token; helpdesk reply volume does not need a pool.
 */
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { AccessTokenSource } from '../connect/credentials';
import type { ImapEndpoint } from '../connect/tls-policy';
import { tlsPolicyFor } from '../connect/tls-policy';
import { createMailError } from '../errors/mail-errors';
import { toMailError } from '../errors/to-mail-error';
import { createRedactingLogger, silentLogger, type MailLogger } from '../logging/redacting-logger';

/** Same shape as an IMAP endpoint: host, port, TLS mode, user, trust, timeout. */
export type SmtpEndpoint = ImapEndpoint;

export type SmtpCredentials =
  { type: 'password'; password: string } | { type: 'oauth2'; tokens: AccessTokenSource };

export interface OutgoingAttachment {
  filename: string;
  content: Buffer;
  contentType?: string;
  /** Set for inline images referenced as cid: in the HTML. */
  cid?: string;
}

export interface OutgoingMail {
  from: string;
  to: string[];
  cc?: string[];
  bcc?: string[];
  replyTo?: string;
  subject: string;
  text?: string;
  html?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
  attachments?: OutgoingAttachment[];
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  rejected: string[];
  response: string;
}

export interface MailSender {
  send(mail: OutgoingMail): Promise<SentMail>;
  /** Connects and logs in without sending (for a "test SMTP" button). */
  verify(): Promise<void>;
}

const addressList = (value: ReadonlyArray<string | { address: string }>): string[] =>
  value.map((entry) => (typeof entry === 'string' ? entry : entry.address));

export const createMailSender = (
  endpoint: SmtpEndpoint,
  credentials: SmtpCredentials,
  options: { logger?: MailLogger; clientName?: string } = {},
): MailSender => {
  const secrets = new Set<string>();
  if (credentials.type === 'password') secrets.add(credentials.password);
  const log = createRedactingLogger(options.logger ?? silentLogger, () => secrets, {
    component: 'mail.smtp',
    host: endpoint.host,
    port: endpoint.port,
  });
  const context = {
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.username,
    tls: endpoint.tls,
    timeoutMs: endpoint.connectionTimeoutMs,
    authMethod: credentials.type,
    secrets,
  } as const;

  const transportFor = async () => {
    if (credentials.type === 'password' && credentials.password === '') {
      throw createMailError(
        'invalid_configuration',
        `No SMTP password is stored for "${endpoint.username}".`,
        {
          phase: 'configure',
        },
      );
    }
    let auth: SMTPTransport.Options['auth'];
    if (credentials.type === 'password') {
      auth = { user: endpoint.username, pass: credentials.password };
    } else {
      let token;
      try {
        token = await credentials.tokens.getAccessToken();
      } catch (error) {
        throw toMailError(error, { ...context, phase: 'token' });
      }
      secrets.add(token.accessToken);
      auth = { type: 'OAuth2', user: endpoint.username, accessToken: token.accessToken };
    }
    const policy = tlsPolicyFor(endpoint);
    const transportOptions: SMTPTransport.Options = {
      host: endpoint.host,
      port: endpoint.port,
      secure: policy.mode === 'implicit',
      requireTLS: policy.mode === 'starttls',
      ignoreTLS: policy.mode === 'none',
      // nodemailer has no post-handshake hook, so the self-signed exception here is
      // rejectUnauthorized:false (IMAP's transport additionally checks name and expiry).
      tls: policy.options,
      auth,
      connectionTimeout: endpoint.connectionTimeoutMs,
      greetingTimeout: endpoint.connectionTimeoutMs,
      socketTimeout: Math.max(endpoint.connectionTimeoutMs, 60_000),
      dnsTimeout: endpoint.connectionTimeoutMs,
      logger: false,
      debug: false,
      ...(options.clientName ? { name: options.clientName } : {}),
    };
    return nodemailer.createTransport(transportOptions);
  };

  return {
    async send(mail) {
      const transport = await transportFor();
      try {
        const info = await transport.sendMail({
          from: mail.from,
          to: mail.to,
          ...(mail.cc ? { cc: mail.cc } : {}),
          ...(mail.bcc ? { bcc: mail.bcc } : {}),
          ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
          subject: mail.subject,
          ...(mail.text === undefined ? {} : { text: mail.text }),
          ...(mail.html === undefined ? {} : { html: mail.html }),
          ...(mail.messageId ? { messageId: mail.messageId } : {}),
          ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
          ...(mail.references ? { references: mail.references } : {}),
          ...(mail.headers ? { headers: mail.headers } : {}),
          ...(mail.attachments ? { attachments: mail.attachments } : {}),
        });
        log.info({ messageId: info.messageId, accepted: info.accepted.length }, 'mail sent');
        return {
          messageId: info.messageId,
          accepted: addressList(info.accepted),
          rejected: addressList(info.rejected),
          response: info.response,
        };
      } catch (error) {
        const mapped = toMailError(error, { ...context, phase: 'send' });
        log.warn({ code: mapped.code }, mapped.message);
        throw mapped;
      } finally {
        transport.close();
      }
    },
    async verify() {
      const transport = await transportFor();
      try {
        await transport.verify();
      } catch (error) {
        throw toMailError(error, { ...context, phase: 'send' });
      } finally {
        transport.close();
      }
    },
  };
};
