/**
 * The one decision per email: skip it (with the reason), append it to the ticket it
 * answers, create a ticket, or quarantine it. Everything it needs arrives as arguments —
 * the parsed email, the channel's settings, what the database found for its thread keys,
 * and the template — so the same email and inputs always give the same decision.
 * Order: loop protection, the admin's exclusions, built-in classes, sender domains,
 * threading, then ticket creation. Never throws, whatever the email looks like.
 */
import {
  readingSettingsSchema,
  ticketMappingSchema,
  type AttachmentMode,
  type ChannelSettings,
  type Classification,
  type Decision,
  type EmailAddress,
  type MessageDraft,
  type ParsedAttachment,
  type ParsedEmail,
  type ReadingSettings,
  type ThreadHit,
  type TicketDraft,
  type TicketMapping,
  type TicketTemplate,
} from '@mailroom/domain';
import { classify, matchKeyword } from './classify/classify';
import { chooseTicketType, mapFields, type MappingSource } from './field-mapping';
import { domainOf, matchAllowedDomain } from './filters/sender-domain';
import { detectLoop } from './filters/loop';
import { indexHeaders, normalizeMessageId } from './headers';
import { classLabels, describeEvidence, formatBytes } from './reasons';
import { sanitizeEmailHtml } from './sanitize-html';
import { chooseThread } from './threading';
import { validateTicketMapping } from './validate-mapping';

export interface DecideContext {
  /** The template the channel's mapping names, loaded by the caller; null when there is none. */
  template: TicketTemplate | null;
  /** Domain part of the Message-IDs Mailroom generates for outgoing mail, for loop protection. */
  ownMessageIdDomains?: readonly string[];
}

/** What a failed parse hands to parseFailureDecision(); the mail package's ParseFailure fits it. */
export interface ParseFailureInput {
  code: 'unparseable' | 'too_large';
  message: string;
  /** Bytes read (for too_large: at least this many). */
  size?: number;
  maxBytes?: number;
}

const defaultReading: ReadingSettings = readingSettingsSchema.parse({});
const unmapped = ticketMappingSchema.parse({
  templateId: '-',
  ticketTypes: { allowed: ['-'], defaultTypeId: '-' },
});

const NO_SUBJECT = '(no subject)';

export const parseFailureDecision = (failure: ParseFailureInput): Decision => {
  if (failure.code === 'too_large') {
    const limit =
      failure.maxBytes !== undefined ? ` limit of ${formatBytes(failure.maxBytes)}` : ' size limit';
    return {
      kind: 'quarantine',
      code: 'quarantined.too_large',
      reason: `quarantined: too large — the message is over the channel's${limit}; it was recorded, not read`,
      error: failure.message,
    };
  }
  return {
    kind: 'quarantine',
    code: 'quarantined.unparseable',
    reason: `quarantined: unreadable — ${failure.message}`,
    error: failure.message,
  };
};

const lower = (value: unknown): string =>
  typeof value === 'string' ? value.trim().toLowerCase() : '';

const cleanAddress = (entry: EmailAddress | null | undefined): EmailAddress | null =>
  entry && typeof entry.address === 'string' && entry.address.includes('@')
    ? {
        address: entry.address.trim().toLowerCase(),
        name: typeof entry.name === 'string' ? entry.name : '',
      }
    : null;

const addressList = (entries: unknown): EmailAddress[] =>
  Array.isArray(entries)
    ? entries.map(cleanAddress).filter((entry): entry is EmailAddress => entry !== null)
    : [];

/** Aliases deliver into the channel and stand for its primary address. */
const unalias = (addresses: EmailAddress[], settings: ChannelSettings): EmailAddress[] => {
  const aliases = new Set((settings.reading?.aliases ?? []).map(lower));
  const primary = (settings.ownAddresses ?? [])
    .map(lower)
    .find((address) => address.includes('@') && !aliases.has(address));
  if (!primary || aliases.size === 0) return addresses;
  const seen = new Set<string>();
  const result: EmailAddress[] = [];
  for (const entry of addresses) {
    const address = aliases.has(entry.address) ? primary : entry.address;
    if (seen.has(address)) continue;
    seen.add(address);
    result.push(address === entry.address ? entry : { address, name: entry.name });
  }
  return result;
};

const keptAttachments = (email: ParsedEmail, mode: AttachmentMode): ParsedAttachment[] => {
  const all = Array.isArray(email.attachments)
    ? email.attachments.filter((a) => a && typeof a === 'object')
    : [];
  if (mode === 'none') return [];
  if (mode === 'non_inline') return all.filter((attachment) => !attachment.inline);
  return all;
};

const buildMessage = (
  email: ParsedEmail,
  settings: ChannelSettings,
  mapping: TicketMapping,
): MessageDraft => {
  const attachments = keptAttachments(email, mapping.attachments);
  const keptContentIds = new Set(
    attachments
      .map((a) => (typeof a.contentId === 'string' ? a.contentId.replace(/^<|>$/g, '') : ''))
      .filter(Boolean),
  );
  const html =
    mapping.bodyFormat === 'html' && typeof email.html === 'string' && email.html.length > 0
      ? sanitizeEmailHtml(email.html, { keptContentIds })
      : null;
  const subject = typeof email.subject === 'string' ? email.subject : '';
  return {
    messageId: typeof email.messageId === 'string' ? email.messageId : '',
    inReplyTo: (Array.isArray(email.inReplyTo) ? email.inReplyTo : [])
      .map(normalizeMessageId)
      .filter((id): id is string => id !== null),
    references: (Array.isArray(email.references) ? email.references : [])
      .map(normalizeMessageId)
      .filter((id): id is string => id !== null),
    from: cleanAddress(email.from),
    to: unalias(addressList(email.to), settings),
    cc: unalias(addressList(email.cc), settings),
    subject,
    text: typeof email.text === 'string' ? email.text : '',
    html,
    sentAt: typeof email.date === 'string' ? email.date : null,
    attachments,
  };
};

const viaLabels: Record<ThreadHit['via'], string> = {
  in_reply_to: 'In-Reply-To',
  references: 'References',
  subject_token: 'ticket number in the subject, from a sender on the ticket',
  bounce_original: 'bounce of a message on that ticket',
};

const skip = (code: string, reason: string, classification: Classification): Decision => ({
  kind: 'skip',
  code,
  reason,
  classification,
});

export const decide = (
  email: ParsedEmail,
  settings: ChannelSettings,
  hits: readonly ThreadHit[],
  context: DecideContext,
): Decision => {
  const reading = settings.reading ?? defaultReading;
  const autoReply = reading.autoReply ?? defaultReading.autoReply;
  const headers = indexHeaders(email.headers);
  const classification = classify(email, { keywords: autoReply.keywords });
  const from = cleanAddress(email.from);

  const loop = detectLoop(email, headers, {
    ownAddresses: [...(settings.ownAddresses ?? []), ...(reading.aliases ?? [])],
    mailboxId: settings.mailboxId ?? '',
    ownMessageIdDomains: context.ownMessageIdDomains ?? [],
  });
  if (loop) return skip('skipped.loop', `skipped: mail loop — ${loop.evidence}`, classification);

  if (
    from &&
    (autoReply.senderAddresses ?? []).some((address) => lower(address) === from.address)
  ) {
    return skip(
      'skipped.sender_excluded',
      `skipped: excluded sender — ${from.address} is on this channel's list of excluded senders`,
      classification,
    );
  }

  const keyword = matchKeyword(
    typeof email.subject === 'string' ? email.subject : '',
    autoReply.keywords,
  );
  if (keyword !== null) {
    return skip(
      'skipped.keyword',
      `skipped: auto-reply keyword — the subject contains "${keyword}"`,
      classification,
    );
  }

  if (
    classification.kind !== 'normal' &&
    (autoReply.excludeClasses ?? []).includes(classification.kind)
  ) {
    return skip(
      `skipped.${classification.kind}`,
      `skipped: ${classLabels[classification.kind]} — ${describeEvidence(classification.rule, classification.evidence)}`,
      classification,
    );
  }

  const allowed = reading.allowedSenderDomains ?? [];
  if (matchAllowedDomain(from?.address, allowed) === null) {
    const domain = domainOf(from?.address);
    const list = allowed.join(', ');
    return skip(
      'skipped.domain_not_allowed',
      domain
        ? `skipped: domain not allowed — ${domain} is not one of the allowed sender domains (${list})`
        : `skipped: domain not allowed — the mail has no sender address to check against the allowed sender domains (${list})`,
      classification,
    );
  }

  const mapping = settings.mapping ?? null;
  const effective = mapping ?? unmapped;
  const thread = chooseThread(email, hits, {
    allowBounceOriginal: classification.kind === 'bounce' || classification.kind === 'complaint',
  });
  if (thread.kind === 'append') {
    const { hit } = thread;
    return {
      kind: 'append',
      code: `appended.${hit.via}`,
      reason: `appended to #${hit.ticketNumber} (${viaLabels[hit.via]})`,
      classification,
      ticketId: hit.ticketId,
      ticketNumber: hit.ticketNumber,
      message: buildMessage(email, settings, effective),
      attachOriginalEml: effective.attachOriginalEml,
    };
  }

  const requester = from ?? cleanAddress(email.sender) ?? addressList(email.replyTo)[0] ?? null;
  if (requester === null) {
    const error =
      'the message has no readable sender address (From, Sender and Reply-To are missing or unreadable)';
    return {
      kind: 'quarantine',
      code: 'quarantined.no_sender',
      reason: `quarantined: no sender — ${error}`,
      error,
    };
  }

  if (mapping) {
    const issues = validateTicketMapping(mapping, context.template, [], [], {
      tenantId: settings.tenantId,
      skipCatalog: true,
    });
    if (issues.length > 0) {
      const first = issues[0];
      const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
      const error = `${first?.path}: ${first?.message}${more}`;
      return {
        kind: 'quarantine',
        code: 'quarantined.mapping_invalid',
        reason: `quarantined: the channel's ticket mapping is not valid — ${error}`,
        error,
      };
    }
  }

  const message = buildMessage(email, settings, effective);
  const subject = message.subject.trim().length > 0 ? message.subject.trim() : NO_SUBJECT;
  const importance = email.importance ?? effective.defaultImportance;
  const source: MappingSource = {
    subject,
    text: message.text,
    html: message.html,
    from: requester,
    to: message.to,
    cc: message.cc,
    date: message.sentAt,
    messageId: message.messageId,
    importance,
    attachments: message.attachments,
  };
  const template = mapping ? context.template : null;
  const mapped =
    mapping && template
      ? mapFields(mapping, template, source)
      : { fields: {}, restrictedFields: {} };
  const ticket: TicketDraft = {
    tenantId: settings.tenantId,
    mailboxId: settings.mailboxId,
    templateId: template?.id ?? null,
    ticketTypeId: mapping ? chooseTicketType(mapping.ticketTypes, subject).ticketTypeId : null,
    offerId: mapping?.defaultOfferId ?? null,
    subject,
    importance,
    requester,
    fields: mapped.fields,
    restrictedFields: mapped.restrictedFields,
    message,
    attachOriginalEml: effective.attachOriginalEml,
  };
  const untrusted = thread.untrustedToken;
  return untrusted
    ? {
        kind: 'create',
        code: 'created.subject_token_untrusted',
        reason: `created a new ticket — the subject names #${untrusted.ticketNumber}, but ${requester.address} is not on that ticket, so it was not appended`,
        classification,
        ticket,
      }
    : {
        kind: 'create',
        code: 'created.new_thread',
        reason:
          'created a new ticket — no known ticket matched its In-Reply-To, References or subject',
        classification,
        ticket,
      };
};
