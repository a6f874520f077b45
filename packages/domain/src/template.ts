import { z } from 'zod';

export const templateFieldTypes = [
  'text',
  'textarea',
  'html',
  'number',
  'boolean',
  'date',
  'email',
  'select',
  'multiselect',
  'attachments',
] as const;
export const templateFieldTypeSchema = z.enum(templateFieldTypes);
export type TemplateFieldType = z.infer<typeof templateFieldTypeSchema>;

export const templateFieldSchema = z.object({
  key: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z][a-z0-9_]*$/, 'use lower-case letters, digits and underscores'),
  label: z.string().min(1).max(200),
  type: templateFieldTypeSchema,
  required: z.boolean().default(false),
  /** Allowed values for select / multiselect. */
  options: z.array(z.string().min(1)).optional(),
});
export type TemplateField = z.infer<typeof templateFieldSchema>;

export const templateStatuses = ['draft', 'published'] as const;
export const templateStatusSchema = z.enum(templateStatuses);
export type TemplateStatus = z.infer<typeof templateStatusSchema>;

export const ticketTemplateSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string().min(1),
  status: templateStatusSchema,
  fields: z.array(templateFieldSchema),
});
export type TicketTemplate = z.infer<typeof ticketTemplateSchema>;
