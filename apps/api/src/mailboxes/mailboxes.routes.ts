/**
 * /api/v1/mailboxes: admins list, read, create and edit mailboxes. Routes only
 * validate, check the role, call one use case and shape the answer.
 */
import { createRoute } from '@hono/zod-openapi';
import { problemContent } from '../app/problem';
import { createRouter } from '../app/router';
import { requirePrincipal } from '../auth/auth.middleware';
import { callerSecurity } from '../auth/auth.routes';
import {
  createMailboxBodySchema,
  mailboxIdParamsSchema,
  mailboxListSchema,
  mailboxSchema,
  toMailboxView,
  updateMailboxBodySchema,
} from './mailboxes.models';
import type { MailboxesUsecases } from './mailboxes.usecases';

const errors = {
  401: { description: 'Not signed in', content: problemContent },
  403: { description: 'Not an admin (`auth.forbidden`)', content: problemContent },
} as const;

const listRoute = createRoute({
  method: 'get',
  path: '/mailboxes',
  tags: ['mailboxes'],
  summary: 'List the mailboxes of your tenant (admin)',
  security: callerSecurity,
  responses: {
    200: {
      description: 'Mailboxes, by name',
      content: { 'application/json': { schema: mailboxListSchema } },
    },
    ...errors,
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/mailboxes/{id}',
  tags: ['mailboxes'],
  summary: 'One mailbox with settings, status, health and which secrets are stored (admin)',
  security: callerSecurity,
  request: { params: mailboxIdParamsSchema },
  responses: {
    200: { description: 'The mailbox', content: { 'application/json': { schema: mailboxSchema } } },
    ...errors,
    404: { description: '`mailbox.not_found`', content: problemContent },
  },
});

const createMailboxRoute = createRoute({
  method: 'post',
  path: '/mailboxes',
  tags: ['mailboxes'],
  summary: 'Create a mailbox as a draft (admin)',
  security: callerSecurity,
  request: {
    body: { required: true, content: { 'application/json': { schema: createMailboxBodySchema } } },
  },
  responses: {
    201: {
      description: 'Created (status `draft`)',
      content: { 'application/json': { schema: mailboxSchema } },
    },
    400: {
      description: 'Invalid settings, one entry per field in `errors`',
      content: problemContent,
    },
    ...errors,
  },
});

const updateRoute = createRoute({
  method: 'patch',
  path: '/mailboxes/{id}',
  tags: ['mailboxes'],
  summary: 'Replace settings groups and set or clear secrets (admin)',
  security: callerSecurity,
  request: {
    params: mailboxIdParamsSchema,
    body: { required: true, content: { 'application/json': { schema: updateMailboxBodySchema } } },
  },
  responses: {
    200: {
      description: 'The updated mailbox',
      content: { 'application/json': { schema: mailboxSchema } },
    },
    400: { description: 'Invalid settings', content: problemContent },
    ...errors,
    404: { description: '`mailbox.not_found`', content: problemContent },
    409: {
      description: '`mailbox.version_conflict`: changed since `expectedVersion`',
      content: problemContent,
    },
  },
});

export function createMailboxesRoutes({ mailboxes }: { mailboxes: MailboxesUsecases }) {
  return createRouter()
    .openapi(listRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'admin' });
      const items = await mailboxes.list(tenantId);
      return c.json({ items: items.map(toMailboxView) }, 200);
    })
    .openapi(getRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'admin' });
      return c.json(toMailboxView(await mailboxes.get(tenantId, c.req.valid('param').id)), 200);
    })
    .openapi(createMailboxRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'admin' });
      const created = await mailboxes.create(tenantId, c.req.valid('json'));
      c.get('logger').info({ mailboxId: created.id }, 'mailbox created');
      return c.json(toMailboxView(created), 201);
    })
    .openapi(updateRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'admin' });
      const { id } = c.req.valid('param');
      const updated = await mailboxes.update(tenantId, id, c.req.valid('json'));
      c.get('logger').info(
        { mailboxId: id, settingsVersion: updated.settingsVersion },
        'mailbox updated',
      );
      return c.json(toMailboxView(updated), 200);
    });
}
