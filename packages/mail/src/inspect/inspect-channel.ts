/**
 * The channel `mailroom inspect --channel FILE` decides with: a small JSON document an
 * admin can write by hand or export from the API. Validated with the domain's schemas so
 * a typo is reported per field, exactly as the admin UI would report it.
 */
import {
  MailroomError,
  readingSettingsSchema,
  ticketMappingSchema,
  ticketTemplateSchema,
  toFieldIssues,
  type ChannelSettings,
  type FieldIssue,
  type TicketTemplate,
} from '@mailroom/domain';
import { defaultChannelSettings } from '@mailroom/mapping';

export interface InspectChannel {
  settings: ChannelSettings;
  template: TicketTemplate | null;
  ownMessageIdDomains: string[];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const strings = (value: unknown, path: string, issues: FieldIssue[]): string[] => {
  if (value === undefined) return [];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.map((item) => item.trim().toLowerCase()).filter(Boolean);
  }
  issues.push({ path, message: 'expected a list of strings' });
  return [];
};

const prefixed = (prefix: string, issues: FieldIssue[]): FieldIssue[] =>
  issues.map((issue) => ({
    path: issue.path ? `${prefix}.${issue.path}` : prefix,
    message: issue.message,
  }));

/** The default channel: see packages/mapping/README.md, "The default channel of inspect". */
export const defaultInspectChannel = (): InspectChannel => ({
  settings: defaultChannelSettings(),
  template: null,
  ownMessageIdDomains: [],
});

/**
 * Reads a channel document: `{ mailboxId?, tenantId?, ownAddresses?, reading?, mapping?,
 * template?, ownMessageIdDomains? }`. Also accepts exported mailbox settings, taking the
 * own address from `connection.replyTo`. Throws MailroomError `inspect.channel_invalid`.
 */
export const loadInspectChannel = (document: unknown): InspectChannel => {
  if (!isObject(document)) {
    throw new MailroomError('inspect.channel_invalid', 'the channel file must hold a JSON object');
  }
  const issues: FieldIssue[] = [];
  const defaults = defaultChannelSettings();

  const reading = readingSettingsSchema.safeParse(document.reading ?? {});
  if (!reading.success) issues.push(...prefixed('reading', toFieldIssues(reading.error.issues)));

  const mapping =
    document.mapping === undefined ? null : ticketMappingSchema.safeParse(document.mapping);
  if (mapping && !mapping.success)
    issues.push(...prefixed('mapping', toFieldIssues(mapping.error.issues)));

  const template =
    document.template === undefined ? null : ticketTemplateSchema.safeParse(document.template);
  if (template && !template.success)
    issues.push(...prefixed('template', toFieldIssues(template.error.issues)));

  const connection = isObject(document.connection) ? document.connection : {};
  const ownAddresses = strings(document.ownAddresses, 'ownAddresses', issues);
  if (ownAddresses.length === 0 && typeof connection.replyTo === 'string') {
    ownAddresses.push(connection.replyTo.trim().toLowerCase());
  }
  const ownMessageIdDomains = strings(document.ownMessageIdDomains, 'ownMessageIdDomains', issues);
  for (const key of ['mailboxId', 'tenantId'] as const) {
    if (document[key] !== undefined && typeof document[key] !== 'string') {
      issues.push({ path: key, message: 'expected a string' });
    }
  }

  if (issues.length > 0 || !reading.success) {
    throw new MailroomError('inspect.channel_invalid', 'the channel file is not valid', { issues });
  }
  const readingSettings = reading.data;
  const aliases = readingSettings.aliases.map((alias) => alias.toLowerCase());
  return {
    settings: {
      mailboxId: typeof document.mailboxId === 'string' ? document.mailboxId : defaults.mailboxId,
      tenantId: typeof document.tenantId === 'string' ? document.tenantId : defaults.tenantId,
      ownAddresses: [...new Set([...ownAddresses, ...aliases])],
      reading: readingSettings,
      ...(mapping?.success ? { mapping: mapping.data } : {}),
    },
    template: template?.success ? template.data : null,
    ownMessageIdDomains,
  };
};
