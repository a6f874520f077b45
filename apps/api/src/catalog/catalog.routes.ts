/**
 * /api/v1/templates, /ticket-types, /offers: the catalog the mailbox wizard's mapping step
 * chooses from. Agents may read (tickets show template fields), admins write. Routes only
 * validate, check the role, call one use case and shape the answer.
 */
import { createRoute } from '@hono/zod-openapi';
import { problemContent } from '../app/problem';
import { createRouter } from '../app/router';
import { requirePrincipal } from '../auth/auth.middleware';
import { callerSecurity } from '../auth/auth.routes';
import {
  createCatalogEntryBodySchema,
  createTemplateBodySchema,
  idParamsSchema,
  offerListSchema,
  offerSchema,
  templateListQuerySchema,
  templateListSchema,
  templateSchema,
  ticketTypeListSchema,
  ticketTypeSchema,
  toCatalogEntryView,
  toTemplateView,
  updateTemplateBodySchema,
} from './catalog.models';
import type { CatalogUsecases } from './catalog.usecases';

const readErrors = { 401: { description: 'Not signed in', content: problemContent } } as const;
const writeErrors = {
  ...readErrors,
  400: { description: 'Invalid fields, one entry per field in `errors`', content: problemContent },
  403: { description: 'Not an admin (`auth.forbidden`)', content: problemContent },
  409: { description: '`*.name_taken`', content: problemContent },
} as const;
const json = <T>(schema: T) => ({ 'application/json': { schema } });
const templateNotFound = {
  404: { description: '`template.not_found`', content: problemContent },
} as const;

const listTemplatesRoute = createRoute({
  method: 'get',
  path: '/templates',
  tags: ['catalog'],
  summary: 'Ticket templates of your tenant, by name',
  security: callerSecurity,
  request: { query: templateListQuerySchema },
  responses: {
    200: { description: 'Templates', content: json(templateListSchema) },
    ...readErrors,
  },
});

const getTemplateRoute = createRoute({
  method: 'get',
  path: '/templates/{id}',
  tags: ['catalog'],
  summary: 'One ticket template',
  security: callerSecurity,
  request: { params: idParamsSchema },
  responses: {
    200: { description: 'The template', content: json(templateSchema) },
    ...readErrors,
    ...templateNotFound,
  },
});

const createTemplateRoute = createRoute({
  method: 'post',
  path: '/templates',
  tags: ['catalog'],
  summary: 'Create a ticket template, a draft unless `status` says otherwise (admin)',
  security: callerSecurity,
  request: { body: { required: true, content: json(createTemplateBodySchema) } },
  responses: { 201: { description: 'Created', content: json(templateSchema) }, ...writeErrors },
});

const updateTemplateRoute = createRoute({
  method: 'patch',
  path: '/templates/{id}',
  tags: ['catalog'],
  summary: 'Rename a template or replace its fields (admin)',
  security: callerSecurity,
  request: {
    params: idParamsSchema,
    body: { required: true, content: json(updateTemplateBodySchema) },
  },
  responses: {
    200: { description: 'The template', content: json(templateSchema) },
    ...writeErrors,
    ...templateNotFound,
  },
});

const publishTemplateRoute = createRoute({
  method: 'post',
  path: '/templates/{id}/publish',
  tags: ['catalog'],
  summary: 'Publish a template so mailboxes may use it (admin)',
  security: callerSecurity,
  request: { params: idParamsSchema },
  responses: {
    200: { description: 'The published template', content: json(templateSchema) },
    ...writeErrors,
    ...templateNotFound,
  },
});

const listTicketTypesRoute = createRoute({
  method: 'get',
  path: '/ticket-types',
  tags: ['catalog'],
  summary: 'Ticket types of your tenant, by name',
  security: callerSecurity,
  responses: {
    200: { description: 'Ticket types', content: json(ticketTypeListSchema) },
    ...readErrors,
  },
});

const createTicketTypeRoute = createRoute({
  method: 'post',
  path: '/ticket-types',
  tags: ['catalog'],
  summary: 'Create a ticket type (admin)',
  security: callerSecurity,
  request: { body: { required: true, content: json(createCatalogEntryBodySchema) } },
  responses: { 201: { description: 'Created', content: json(ticketTypeSchema) }, ...writeErrors },
});

const listOffersRoute = createRoute({
  method: 'get',
  path: '/offers',
  tags: ['catalog'],
  summary: 'Offers of your tenant, by name',
  security: callerSecurity,
  responses: { 200: { description: 'Offers', content: json(offerListSchema) }, ...readErrors },
});

const createOfferRoute = createRoute({
  method: 'post',
  path: '/offers',
  tags: ['catalog'],
  summary: 'Create an offer (admin)',
  security: callerSecurity,
  request: { body: { required: true, content: json(createCatalogEntryBodySchema) } },
  responses: { 201: { description: 'Created', content: json(offerSchema) }, ...writeErrors },
});

export function createCatalogRoutes({ catalog }: { catalog: CatalogUsecases }) {
  return createRouter()
    .openapi(listTemplatesRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'agent' });
      const items = await catalog.listTemplates(tenantId, c.req.valid('query'));
      return c.json({ items: items.map(toTemplateView) }, 200);
    })
    .openapi(getTemplateRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'agent' });
      const template = await catalog.getTemplate(tenantId, c.req.valid('param').id);
      return c.json(toTemplateView(template), 200);
    })
    .openapi(createTemplateRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'admin' });
      const template = await catalog.createTemplate(tenantId, c.req.valid('json'));
      c.get('logger').info({ templateId: template.id }, 'template created');
      return c.json(toTemplateView(template), 201);
    })
    .openapi(updateTemplateRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'admin' });
      const { id } = c.req.valid('param');
      const template = await catalog.updateTemplate(tenantId, id, c.req.valid('json'));
      c.get('logger').info({ templateId: id }, 'template updated');
      return c.json(toTemplateView(template), 200);
    })
    .openapi(publishTemplateRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'admin' });
      const { id } = c.req.valid('param');
      const template = await catalog.publishTemplate(tenantId, id);
      c.get('logger').info({ templateId: id }, 'template published');
      return c.json(toTemplateView(template), 200);
    })
    .openapi(listTicketTypesRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'agent' });
      const items = await catalog.listTicketTypes(tenantId);
      return c.json({ items: items.map(toCatalogEntryView) }, 200);
    })
    .openapi(createTicketTypeRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'admin' });
      const created = await catalog.createTicketType(tenantId, c.req.valid('json'));
      return c.json(toCatalogEntryView(created), 201);
    })
    .openapi(listOffersRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'agent' });
      const items = await catalog.listOffers(tenantId);
      return c.json({ items: items.map(toCatalogEntryView) }, 200);
    })
    .openapi(createOfferRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'admin' });
      const created = await catalog.createOffer(tenantId, c.req.valid('json'));
      return c.json(toCatalogEntryView(created), 201);
    });
}
