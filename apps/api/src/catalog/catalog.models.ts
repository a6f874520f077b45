/**
 * Request and response shapes of the catalog a ticket mapping points at: ticket templates,
 * ticket types and offers (pure). Template fields are the domain's schema; the repository
 * checks the rest (duplicate keys, options of choice fields).
 */
import { z } from '@hono/zod-openapi';
import { templateFieldSchema, templateStatusSchema } from '@mailroom/domain';
import type { Offer, StoredTicketTemplate, TicketType } from '@mailroom/db';

export const idParamsSchema = z.object({
  id: z.string().openapi({ param: { name: 'id', in: 'path' }, format: 'uuid' }),
});

const nameSchema = z.string().trim().min(1, 'enter a name').max(200);

export const templateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: templateStatusSchema,
    fields: z.array(templateFieldSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Template');

export const templateListSchema = z
  .object({ items: z.array(templateSchema) })
  .openapi('TemplateList');

export const templateListQuerySchema = z.object({ status: templateStatusSchema.optional() });

export const createTemplateBodySchema = z
  .object({
    name: nameSchema,
    fields: z.array(templateFieldSchema).max(200),
    status: templateStatusSchema.optional(),
  })
  .openapi('CreateTemplateRequest');

export const updateTemplateBodySchema = z
  .object({
    name: nameSchema.optional(),
    fields: z.array(templateFieldSchema).max(200).optional(),
  })
  .openapi('UpdateTemplateRequest');

export const catalogEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const ticketTypeSchema = catalogEntrySchema.openapi('TicketType');
export const offerSchema = catalogEntrySchema.openapi('Offer');
export const ticketTypeListSchema = z
  .object({ items: z.array(ticketTypeSchema) })
  .openapi('TicketTypeList');
export const offerListSchema = z.object({ items: z.array(offerSchema) }).openapi('OfferList');

export const createCatalogEntryBodySchema = z
  .object({
    name: nameSchema,
    description: z.string().max(2000).nullable().optional(),
  })
  .openapi('CreateCatalogEntryRequest');

export const toTemplateView = (template: StoredTicketTemplate): z.infer<typeof templateSchema> => ({
  id: template.id,
  name: template.name,
  status: template.status,
  fields: template.fields,
  createdAt: template.createdAt.toISOString(),
  updatedAt: template.updatedAt.toISOString(),
});

export const toCatalogEntryView = (
  entry: TicketType | Offer,
): z.infer<typeof catalogEntrySchema> => ({
  id: entry.id,
  name: entry.name,
  description: entry.description,
  createdAt: entry.createdAt.toISOString(),
  updatedAt: entry.updatedAt.toISOString(),
});
