/**
 * Turns the admin's ticket mapping into a ticket's fields: custom defaults first, then
 * email properties converted to each template field's type, then the optional mappings
 * that apply only when the email has the property. Which property fits which field type is
 * declared once here and shared with validate-mapping.ts, so a configuration that
 * validates can always be applied. Assumes a validated mapping; never throws anyway.
 */
import type {
  EmailAddress,
  EmailProperty,
  FieldValue,
  Importance,
  ParsedAttachment,
  TemplateField,
  TemplateFieldType,
  TicketMapping,
  TicketTemplate,
  TypeRule,
} from '@mailroom/domain';
import { importanceLabel } from './importance';

/** The field types each email property can fill. */
export const propertyFieldTypes: Record<EmailProperty, readonly TemplateFieldType[]> = {
  subject: ['text', 'textarea', 'html'],
  body: ['textarea', 'html'],
  sender_address: ['email', 'text'],
  sender_name: ['text'],
  importance: ['select', 'text'],
  attachments: ['attachments'],
  to: ['text', 'textarea'],
  cc: ['text', 'textarea'],
  date: ['date', 'text'],
  message_id: ['text'],
};

/** Properties every mail that becomes a ticket has (subject falls back to "(no subject)"). */
export const alwaysPresentProperties: ReadonlySet<EmailProperty> = new Set([
  'subject',
  'sender_address',
  'importance',
  'message_id',
]);

export const propertyLabels: Record<EmailProperty, string> = {
  subject: 'the subject',
  body: 'the body',
  sender_address: "the sender's address",
  sender_name: "the sender's name",
  importance: 'the importance',
  attachments: 'the attachments',
  to: 'the To addresses',
  cc: 'the Cc addresses',
  date: 'the date',
  message_id: 'the Message-ID',
};

/** The select option that stands for an importance level, or null when the field has none. */
export const importanceOption = (field: TemplateField, importance: Importance): string | null => {
  const wanted = importance === 'medium' ? ['medium', 'normal'] : [importance];
  return (
    (field.options ?? []).find((option) => wanted.includes(option.trim().toLowerCase())) ?? null
  );
};

/** What the mapping step knows about the email, already chosen and sanitized by decide(). */
export interface MappingSource {
  subject: string;
  text: string;
  /** Sanitized HTML when the channel keeps HTML bodies, else null. */
  html: string | null;
  from: EmailAddress | null;
  to: EmailAddress[];
  cc: EmailAddress[];
  date: string | null;
  messageId: string;
  importance: Importance;
  /** The attachments the channel keeps (after the all / none / non-inline choice). */
  attachments: ParsedAttachment[];
}

const escapeHtml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const addressList = (addresses: EmailAddress[]): string =>
  addresses
    .map((a) => a.address)
    .filter((address) => address.length > 0)
    .join(', ');

/** The property's value in the field's type; null when the email does not have it. */
export const propertyValue = (
  property: EmailProperty,
  field: TemplateField,
  source: MappingSource,
): FieldValue => {
  const nonEmpty = (value: string): string | null => (value.trim().length > 0 ? value : null);
  switch (property) {
    case 'subject':
      return field.type === 'html' ? escapeHtml(source.subject) : source.subject;
    case 'body': {
      if (field.type !== 'html') return nonEmpty(source.text);
      if (source.html !== null && source.html.trim().length > 0) return source.html;
      if (source.text.trim().length === 0) return null;
      return `<p>${escapeHtml(source.text).replace(/\r?\n/g, '<br>')}</p>`;
    }
    case 'sender_address':
      return nonEmpty(source.from?.address ?? '');
    case 'sender_name':
      return nonEmpty(source.from?.name ?? '');
    case 'importance':
      return field.type === 'select'
        ? importanceOption(field, source.importance)
        : importanceLabel(source.importance);
    case 'attachments': {
      // Attachments are stored content-addressed: the field lists the SHA-256 of each kept file.
      const hashes = [...new Set(source.attachments.map((a) => a.sha256))];
      return hashes.length > 0 ? hashes : null;
    }
    case 'to':
      return nonEmpty(addressList(source.to));
    case 'cc':
      return nonEmpty(addressList(source.cc));
    case 'date':
      if (source.date === null) return null;
      return field.type === 'date' ? source.date.slice(0, 10) : source.date;
    case 'message_id':
      return source.messageId;
    default:
      return null;
  }
};

export interface MappedFields {
  fields: Record<string, FieldValue>;
  restrictedFields: Record<string, string[]>;
}

/** The ticket's field values and role restrictions under the mapping. */
export const mapFields = (
  mapping: TicketMapping,
  template: TicketTemplate,
  source: MappingSource,
): MappedFields => {
  const byKey = new Map(template.fields.map((field) => [field.key, field]));
  const fields: Record<string, FieldValue> = {};
  const restrictedFields: Record<string, string[]> = {};
  for (const custom of mapping.customFields ?? []) {
    if (!byKey.has(custom.fieldKey)) continue;
    fields[custom.fieldKey] = custom.defaultValue;
    if (custom.restrictedToRoles?.length)
      restrictedFields[custom.fieldKey] = [...custom.restrictedToRoles];
  }
  for (const mapped of mapping.propertyMappings ?? []) {
    const field = byKey.get(mapped.fieldKey);
    if (!field) continue;
    const value = propertyValue(mapped.property, field, source);
    if (value !== null) fields[mapped.fieldKey] = value;
    else if (!(mapped.fieldKey in fields)) fields[mapped.fieldKey] = null;
  }
  for (const mapped of mapping.optionalMappings ?? []) {
    const field = byKey.get(mapped.fieldKey);
    if (!field) continue;
    const value = propertyValue(mapped.property, field, source);
    if (value !== null) fields[mapped.fieldKey] = value;
  }
  return { fields, restrictedFields };
};

/** The first whitelisted type whose subject keyword matches, else the default type. */
export const chooseTicketType = (
  ticketTypes: TicketMapping['ticketTypes'],
  subject: string,
): { ticketTypeId: string; rule: TypeRule | null } => {
  const haystack = subject.normalize('NFKC').toLowerCase();
  for (const rule of ticketTypes.rules ?? []) {
    const needle = rule.subjectContains.normalize('NFKC').toLowerCase().trim();
    if (needle && haystack.includes(needle) && ticketTypes.allowed.includes(rule.ticketTypeId)) {
      return { ticketTypeId: rule.ticketTypeId, rule };
    }
  }
  return { ticketTypeId: ticketTypes.defaultTypeId, rule: null };
};
