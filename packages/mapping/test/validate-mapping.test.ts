import { describe, expect, it } from 'vitest';
import { validateTicketMapping } from '../src/index';
import { offers, template, ticketTypes, validMappingInput } from './support/builders';

type Input = ReturnType<typeof validMappingInput>;
const validate = (change: (input: Input) => void, tpl = template, options = {}) => {
  const input = validMappingInput();
  change(input);
  return validateTicketMapping(input, tpl, ticketTypes, offers, {
    tenantId: 'tenant-1',
    ...options,
  });
};

describe('validateTicketMapping', () => {
  it('accepts a complete mapping', () => {
    expect(validate(() => {})).toEqual([]);
  });

  it('reports schema problems per field', () => {
    const issues = validateTicketMapping(
      { ticketTypes: { allowed: [] } },
      template,
      ticketTypes,
      offers,
    );
    expect(issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['templateId', 'ticketTypes.allowed', 'ticketTypes.defaultTypeId']),
    );
  });

  describe('template', () => {
    it('rejects a missing template', () => {
      expect(validateTicketMapping(validMappingInput(), null, ticketTypes, offers)).toContainEqual({
        path: 'templateId',
        message: 'the chosen ticket template does not exist: choose a published template',
      });
    });
    it('rejects a draft template', () => {
      expect(validate(() => {}, { ...template, status: 'draft' })).toContainEqual({
        path: 'templateId',
        message: 'the template "IT request" is a draft: publish it before email uses it',
      });
    });
    it('rejects a template of another tenant', () => {
      expect(validate(() => {}, { ...template, tenantId: 'tenant-2' })).toContainEqual({
        path: 'templateId',
        message: 'the template "IT request" belongs to another tenant',
      });
    });
  });

  describe('ticket types and offer', () => {
    const cases: Array<[string, (input: Input) => void, string]> = [
      [
        'an unknown whitelisted type',
        (i) => i.ticketTypes.allowed.push('type-nope'),
        'ticketTypes.allowed.2',
      ],
      [
        'a type of another tenant',
        (i) => i.ticketTypes.allowed.push('type-other-tenant'),
        'ticketTypes.allowed.2',
      ],
      [
        'a default type that is not whitelisted',
        (i) => (i.ticketTypes.defaultTypeId = 'type-nope'),
        'ticketTypes.defaultTypeId',
      ],
      [
        'a rule choosing a type that is not whitelisted',
        (i) => (i.ticketTypes.rules[0]!.ticketTypeId = 'type-nope'),
        'ticketTypes.rules.0.ticketTypeId',
      ],
      ['an unknown offer', (i) => (i.defaultOfferId = 'offer-nope'), 'defaultOfferId'],
    ];
    it.each(cases)('rejects %s', (_what, change, path) => {
      expect(validate(change).map((issue) => issue.path)).toContain(path);
    });
  });

  describe('custom field defaults are typed by the field', () => {
    const cases: Array<[string, unknown, string]> = [
      ['summary', 42, '"Summary" (summary) is a text field: enter text'],
      [
        'summary',
        'two\nlines',
        '"Summary" (summary) is a single-line text field: remove the line breaks',
      ],
      ['amount', '12', '"Amount" (amount) is a number field: enter a number'],
      ['vip', 'yes', '"VIP" (vip) is a yes/no field: choose yes or no'],
      [
        'received',
        '2025-02-30',
        '"Received" (received) is a date field: enter a date as YYYY-MM-DD',
      ],
      [
        'received',
        '03/04/2025',
        '"Received" (received) is a date field: enter a date as YYYY-MM-DD',
      ],
      [
        'customer_email',
        'not-an-address',
        '"Customer email" (customer_email) is an email field: enter an email address',
      ],
      ['site', 'Rome', '"Rome" is not an option of "Site" (site): choose one of Berlin, Paris'],
      ['tags', ['printer', 'fax'], '"fax" is not an option of "Tags" (tags)'],
      ['tags', 'printer', '"Tags" (tags) is a multiple-choice field: choose from printer, network'],
      ['files', ['x'], '"Files" (files) is an attachments field: it cannot have a default value'],
    ];
    it.each(cases)('%s = %j is rejected', (fieldKey, defaultValue, message) => {
      let index = -1;
      const issues = validate((i) => {
        i.customFields = i.customFields.filter((c) => c.fieldKey !== fieldKey);
        index =
          i.customFields.push({
            fieldKey,
            defaultValue: defaultValue as never,
            restrictedToRoles: [],
          }) - 1;
      });
      expect(issues).toContainEqual({ path: `customFields.${index}.defaultValue`, message });
    });

    const good: Array<[string, unknown]> = [
      ['summary', 'Printer'],
      ['amount', 0],
      ['vip', false],
      ['received', '2024-02-29'],
      ['customer_email', 'ops@customer.example'],
      ['tags', ['printer', 'network']],
      ['files', []],
      ['notes', null],
    ];
    it.each(good)('%s = %j is accepted', (fieldKey, defaultValue) => {
      const issues = validate((i) =>
        i.customFields.push({
          fieldKey,
          defaultValue: defaultValue as never,
          restrictedToRoles: [],
        }),
      );
      expect(issues).toEqual([]);
    });

    it('rejects a field the template does not have, a field set twice, and an unknown role', () => {
      const issues = validate((i) => {
        i.customFields.push({ fieldKey: 'nope', defaultValue: 'x', restrictedToRoles: [] });
        i.customFields.push({ fieldKey: 'site', defaultValue: 'Paris', restrictedToRoles: [] });
        i.customFields[0]!.restrictedToRoles = ['supervisor'];
      });
      expect(issues).toEqual([
        {
          path: 'customFields.0.restrictedToRoles.0',
          message: 'unknown role "supervisor": use admin or agent',
        },
        { path: 'customFields.2.fieldKey', message: 'the template has no field "nope"' },
        { path: 'customFields.3.fieldKey', message: '"Site" (site) has a default value already' },
      ]);
    });
  });

  describe('email properties fit only fields of a matching type', () => {
    const cases: Array<[string, string, string]> = [
      [
        'body',
        'customer_name',
        'the body cannot fill the text field "Customer name" (customer_name): it fits textarea, html fields',
      ],
      [
        'attachments',
        'notes',
        'the attachments cannot fill the textarea field "Notes" (notes): it fits attachments fields',
      ],
      [
        'date',
        'amount',
        'the date cannot fill the number field "Amount" (amount): it fits date, text fields',
      ],
      [
        'sender_name',
        'vip',
        'the sender\'s name cannot fill the boolean field "VIP" (vip): it fits text fields',
      ],
      [
        'importance',
        'site',
        '"Site" (site) needs the options High, Medium and Low (or Normal) to take the importance',
      ],
    ];
    it.each(cases)('%s -> %s is rejected', (property, fieldKey, message) => {
      const issues = validate((i) => {
        i.optionalMappings = [];
        i.propertyMappings.push({ property: property as never, fieldKey });
      });
      expect(issues).toContainEqual({ path: 'propertyMappings.3.fieldKey', message });
    });

    const good: Array<[string, string]> = [
      ['body', 'description'],
      ['body', 'notes'],
      ['date', 'received'],
      ['attachments', 'files'],
      ['to', 'notes'],
      ['message_id', 'customer_name'],
    ];
    it.each(good)('%s -> %s is accepted', (property, fieldKey) => {
      const issues = validate((i) => {
        i.optionalMappings = [];
        i.propertyMappings.push({ property: property as never, fieldKey });
      });
      expect(issues).toEqual([]);
    });

    it('rejects two mappings into one field, and unknown fields', () => {
      const issues = validate((i) => {
        i.optionalMappings.push({ property: 'to', fieldKey: 'summary' });
        i.optionalMappings.push({ property: 'cc', fieldKey: 'nope' });
      });
      expect(issues).toEqual([
        {
          path: 'optionalMappings.1.fieldKey',
          message: '"Summary" (summary) is filled from the subject already',
        },
        { path: 'optionalMappings.2.fieldKey', message: 'the template has no field "nope"' },
      ]);
    });
  });

  describe('required fields', () => {
    it('rejects a required field left without a value', () => {
      const issues = validate(
        (i) => (i.customFields = i.customFields.filter((c) => c.fieldKey !== 'site')),
      );
      expect(issues).toEqual([
        {
          path: 'customFields',
          message:
            'the required field "Site" (site) has no value: give it a default value or fill it from an email property',
        },
      ]);
    });

    it('accepts a required field filled from a property every mail has', () => {
      const tpl = {
        ...template,
        fields: template.fields.map((f) => (f.key === 'summary' ? { ...f, required: true } : f)),
      };
      expect(validate(() => {}, tpl)).toEqual([]);
    });

    it('asks for a default when a required field is filled from a property that can be empty', () => {
      const tpl = {
        ...template,
        fields: template.fields.map((f) =>
          f.key === 'customer_name' ? { ...f, required: true } : f,
        ),
      };
      const issues = validate((i) => {
        i.optionalMappings = [];
        i.propertyMappings.push({ property: 'sender_name', fieldKey: 'customer_name' });
      }, tpl);
      expect(issues).toEqual([
        {
          path: 'propertyMappings.3.fieldKey',
          message:
            '"Customer name" (customer_name) is required but the sender\'s name can be empty: give the field a default value as well',
        },
      ]);
    });

    it('does not count an optional mapping as filling a required field', () => {
      const tpl = {
        ...template,
        fields: template.fields.map((f) =>
          f.key === 'customer_name' ? { ...f, required: true } : f,
        ),
      };
      expect(validate(() => {}, tpl).map((issue) => issue.path)).toEqual(['customFields']);
    });
  });
});
