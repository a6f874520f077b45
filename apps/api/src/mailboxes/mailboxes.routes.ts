/**
 * /api/v1/mailboxes: admins list, read, create and edit mailboxes. Routes only
 * validate, check the role, call one use case and shape the answer.
 */
import { createRoute } from '@hono/zod-openapi';
import { createValidationError } from '../app/app.errors';
import { problemContent } from '../app/problem';
import { createRouter } from '../app/router';
import { requirePrincipal } from '../auth/auth.middleware';
import { callerSecurity } from '../auth/auth.routes';
import {
  createMailboxBodySchema,
  decodeCursor,
  encodeCursor,
  ledgerPageSchema,
  ledgerQuerySchema,
  mailboxIdParamsSchema,
  mailboxListSchema,
  mailboxSchema,
  parseOutcomes,
  toLedgerEntryView,
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

const activateRoute = createRoute({
  method: 'post',
  path: '/mailboxes/{id}/activate',
  tags: ['mailboxes'],
  summary: 'Activate a mailbox whose configuration is complete and valid (admin)',
  security: callerSecurity,
  request: { params: mailboxIdParamsSchema },
  responses: {
    200: {
      description: 'The mailbox, now `active`',
      content: { 'application/json': { schema: mailboxSchema } },
    },
    ...errors,
    404: { description: '`mailbox.not_found`', content: problemContent },
    422: {
      description: '`mailbox.configuration_incomplete`, one `{path, message}` per problem',
      content: problemContent,
    },
  },
});

const pauseRoute = createRoute({
  method: 'post',
  path: '/mailboxes/{id}/pause',
  tags: ['mailboxes'],
  summary: 'Pause an active mailbox (admin)',
  security: callerSecurity,
  request: { params: mailboxIdParamsSchema },
  responses: {
    200: {
      description: 'The mailbox, now `paused`',
      content: { 'application/json': { schema: mailboxSchema } },
    },
    ...errors,
    404: { description: '`mailbox.not_found`', content: problemContent },
    409: { description: '`mailbox.not_active`: a draft cannot be paused', content: problemContent },
  },
});

const ledgerRoute = createRoute({
  method: 'get',
  path: '/mailboxes/{id}/ledger',
  tags: ['mailboxes'],
  summary: 'Every email seen in the mailbox with its outcome and reason, newest first (admin)',
  security: callerSecurity,
  request: { params: mailboxIdParamsSchema, query: ledgerQuerySchema },
  responses: {
    200: {
      description: 'One page of the ledger',
      content: { 'application/json': { schema: ledgerPageSchema } },
    },
    400: { description: 'Unknown outcome or cursor', content: problemContent },
    ...errors,
    404: { description: '`mailbox.not_found`', content: problemContent },
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
    })
    .openapi(activateRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'admin' });
      const { id } = c.req.valid('param');
      const mailbox = await mailboxes.activate(tenantId, id);
      c.get('logger').info({ mailboxId: id }, 'mailbox activated');
      return c.json(toMailboxView(mailbox), 200);
    })
    .openapi(pauseRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'admin' });
      const { id } = c.req.valid('param');
      const mailbox = await mailboxes.pause(tenantId, id);
      c.get('logger').info({ mailboxId: id }, 'mailbox paused');
      return c.json(toMailboxView(mailbox), 200);
    })
    .openapi(ledgerRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'admin' });
      const { id } = c.req.valid('param');
      const query = c.req.valid('query');
      const outcomes = parseOutcomes(query.outcome);
      const cursor = decodeCursor(query.cursor);
      const cursorIssue = { path: ['cursor'], message: 'use the nextCursor of a page' };
      const issues = [
        ...(outcomes === null
          ? [
              {
                path: ['outcome'],
                message: 'use created, appended, skipped, quarantined or too_large',
              },
            ]
          : []),
        ...(cursor === null ? [cursorIssue] : []),
      ];
      if (outcomes === null || cursor === null) throw createValidationError(issues);
      const page = await mailboxes.ledger(tenantId, id, {
        outcomes,
        limit: query.limit,
        cursor: cursor.entryId,
      });
      if (page === null) throw createValidationError([cursorIssue]);
      return c.json(
        {
          items: page.items.map(toLedgerEntryView),
          total: page.total,
          nextCursor: page.nextCursor === null ? null : encodeCursor(page.nextCursor),
        },
        200,
      );
    });
}
