/**
 * Checks a channel's ticket mapping against the template, ticket types and offers it
 * names, and says what is wrong per field (`path` + `message`) in words an admin can act
 * on. Used when the admin saves or activates a channel, and by decide() as a last guard.
 * Pure: the caller loads the template, types and offers; nothing here looks anything up.
 */
import {
  ticketMappingSchema,
  toFieldIssues,
  userRoles,
  type EmailProperty,
  type FieldIssue,
  type TemplateField,
  type TicketMapping,
  type TicketTemplate,
} from '@mailroom/domain';
import {
  alwaysPresentProperties,
  importanceOption,
  propertyFieldTypes,
  propertyLabels,
} from './field-mapping';

/** A ticket type or offer as the caller loaded it. */
export interface CatalogEntry {
  id: string;
  tenantId?: string;
  name?: string;
}

export interface ValidateMappingOptions {
  /** The channel's tenant; defaults to the template's. */
  tenantId?: string;
  /** Skip the ticket type and offer checks (decide() does not load them). */
  skipCatalog?: boolean;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;

const describe = (field: TemplateField): string => `"${field.label}" (${field.key})`;

const isRealDate = (value: string): boolean => {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
};

/** Why a default value does not fit the field, or null when it does. */
export const checkDefaultValue = (field: TemplateField, value: unknown): string | null => {
  if (value === null) return null;
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'html':
      if (typeof value !== 'string')
        return `${describe(field)} is a ${field.type} field: enter text`;
      if (field.type === 'text' && /[\r\n]/.test(value))
        return `${describe(field)} is a single-line text field: remove the line breaks`;
      return null;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? null
        : `${describe(field)} is a number field: enter a number`;
    case 'boolean':
      return typeof value === 'boolean'
        ? null
        : `${describe(field)} is a yes/no field: choose yes or no`;
    case 'date':
      return typeof value === 'string' && isRealDate(value)
        ? null
        : `${describe(field)} is a date field: enter a date as YYYY-MM-DD`;
    case 'email':
      return typeof value === 'string' && EMAIL.test(value.trim())
        ? null
        : `${describe(field)} is an email field: enter an email address`;
    case 'select': {
      const options = field.options ?? [];
      if (typeof value !== 'string')
        return `${describe(field)} is a choice field: choose one of ${options.join(', ')}`;
      return options.includes(value)
        ? null
        : `"${value}" is not an option of ${describe(field)}: choose one of ${options.join(', ')}`;
    }
    case 'multiselect': {
      const options = field.options ?? [];
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
        return `${describe(field)} is a multiple-choice field: choose from ${options.join(', ')}`;
      }
      const unknown = value.filter((item) => !options.includes(item));
      return unknown.length === 0
        ? null
        : `${unknown.map((u) => `"${u}"`).join(', ')} ${unknown.length === 1 ? 'is not an option' : 'are not options'} of ${describe(field)}`;
    }
    case 'attachments':
      return Array.isArray(value) && value.length === 0
        ? null
        : `${describe(field)} is an attachments field: it cannot have a default value`;
    default:
      return `${describe(field)} has an unknown type`;
  }
};

const isEmptyDefault = (value: unknown): boolean =>
  value === null ||
  value === undefined ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0);

export const validateTicketMapping = (
  input: unknown,
  template: TicketTemplate | null | undefined,
  ticketTypes: readonly CatalogEntry[],
  offers: readonly CatalogEntry[],
  options: ValidateMappingOptions = {},
): FieldIssue[] => {
  const parsed = ticketMappingSchema.safeParse(input);
  if (!parsed.success) return toFieldIssues(parsed.error.issues);
  const mapping: TicketMapping = parsed.data;
  const issues: FieldIssue[] = [];

  if (!template || template.id !== mapping.templateId) {
    issues.push({
      path: 'templateId',
      message: 'the chosen ticket template does not exist: choose a published template',
    });
  } else {
    if (template.status !== 'published') {
      issues.push({
        path: 'templateId',
        message: `the template "${template.name}" is a draft: publish it before email uses it`,
      });
    }
    const tenantId = options.tenantId ?? template.tenantId;
    if (template.tenantId !== tenantId) {
      issues.push({
        path: 'templateId',
        message: `the template "${template.name}" belongs to another tenant`,
      });
    }
  }

  if (!options.skipCatalog) {
    const tenantId = options.tenantId ?? template?.tenantId;
    const known = (entries: readonly CatalogEntry[], id: string) =>
      entries.some(
        (entry) =>
          entry.id === id &&
          (tenantId === undefined || entry.tenantId === undefined || entry.tenantId === tenantId),
      );
    mapping.ticketTypes.allowed.forEach((id, index) => {
      if (!known(ticketTypes, id)) {
        issues.push({
          path: `ticketTypes.allowed.${index}`,
          message: 'this ticket type does not exist (or belongs to another tenant)',
        });
      }
    });
    if (mapping.defaultOfferId !== undefined && !known(offers, mapping.defaultOfferId)) {
      issues.push({
        path: 'defaultOfferId',
        message: 'this offer does not exist (or belongs to another tenant)',
      });
    }
  }
  if (!mapping.ticketTypes.allowed.includes(mapping.ticketTypes.defaultTypeId)) {
    issues.push({
      path: 'ticketTypes.defaultTypeId',
      message: 'the default ticket type must be one of the whitelisted types',
    });
  }
  mapping.ticketTypes.rules.forEach((rule, index) => {
    if (!mapping.ticketTypes.allowed.includes(rule.ticketTypeId)) {
      issues.push({
        path: `ticketTypes.rules.${index}.ticketTypeId`,
        message: 'a rule may only choose one of the whitelisted ticket types',
      });
    }
  });

  if (!template || template.id !== mapping.templateId) return issues;
  const fields = new Map(template.fields.map((field) => [field.key, field]));

  const defaults = new Map<string, unknown>();
  mapping.customFields.forEach((custom, index) => {
    const field = fields.get(custom.fieldKey);
    if (!field) {
      issues.push({
        path: `customFields.${index}.fieldKey`,
        message: `the template has no field "${custom.fieldKey}"`,
      });
      return;
    }
    if (defaults.has(custom.fieldKey)) {
      issues.push({
        path: `customFields.${index}.fieldKey`,
        message: `${describe(field)} has a default value already`,
      });
      return;
    }
    defaults.set(custom.fieldKey, custom.defaultValue);
    const problem = checkDefaultValue(field, custom.defaultValue);
    if (problem) issues.push({ path: `customFields.${index}.defaultValue`, message: problem });
    custom.restrictedToRoles.forEach((role, roleIndex) => {
      if (!(userRoles as readonly string[]).includes(role)) {
        issues.push({
          path: `customFields.${index}.restrictedToRoles.${roleIndex}`,
          message: `unknown role "${role}": use ${userRoles.join(' or ')}`,
        });
      }
    });
  });

  const mappedBy = new Map<string, EmailProperty>();
  for (const list of ['propertyMappings', 'optionalMappings'] as const) {
    mapping[list].forEach((mapped, index) => {
      const path = `${list}.${index}.fieldKey`;
      const field = fields.get(mapped.fieldKey);
      if (!field) {
        issues.push({ path, message: `the template has no field "${mapped.fieldKey}"` });
        return;
      }
      if (mappedBy.has(mapped.fieldKey)) {
        issues.push({
          path,
          message: `${describe(field)} is filled from ${propertyLabels[mappedBy.get(mapped.fieldKey) as EmailProperty]} already`,
        });
        return;
      }
      const fits = propertyFieldTypes[mapped.property];
      if (!fits.includes(field.type)) {
        issues.push({
          path,
          message: `${propertyLabels[mapped.property]} cannot fill the ${field.type} field ${describe(field)}: it fits ${fits.join(', ')} fields`,
        });
        return;
      }
      if (mapped.property === 'importance' && field.type === 'select') {
        const missing = (['high', 'medium', 'low'] as const).filter(
          (level) => importanceOption(field, level) === null,
        );
        if (missing.length > 0) {
          issues.push({
            path,
            message: `${describe(field)} needs the options High, Medium and Low (or Normal) to take the importance`,
          });
          return;
        }
      }
      mappedBy.set(mapped.fieldKey, mapped.property);
      if (
        list === 'propertyMappings' &&
        field.required &&
        !alwaysPresentProperties.has(mapped.property) &&
        isEmptyDefault(defaults.get(field.key))
      ) {
        issues.push({
          path,
          message: `${describe(field)} is required but ${propertyLabels[mapped.property]} can be empty: give the field a default value as well`,
        });
      }
    });
  }

  for (const field of template.fields) {
    if (!field.required) continue;
    const fromProperty = mapping.propertyMappings.some((mapped) => mapped.fieldKey === field.key);
    if (!fromProperty && isEmptyDefault(defaults.get(field.key))) {
      issues.push({
        path: 'customFields',
        message: `the required field ${describe(field)} has no value: give it a default value or fill it from an email property`,
      });
    }
  }
  return issues;
};
