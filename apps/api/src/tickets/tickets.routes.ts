/** /api/v1/tickets: read-only for now — the list (newest first) and one ticket with its thread. */
import { createRoute } from '@hono/zod-openapi';
import { problemContent } from '../app/problem';
import { createRouter } from '../app/router';
import { requirePrincipal } from '../auth/auth.middleware';
import { callerSecurity } from '../auth/auth.routes';
import {
  ticketIdParamsSchema,
  ticketListQuerySchema,
  ticketListSchema,
  ticketWithMessagesSchema,
  toMessageView,
  toTicketView,
} from './tickets.models';
import type { TicketsUsecases } from './tickets.usecases';

const listRoute = createRoute({
  method: 'get',
  path: '/tickets',
  tags: ['tickets'],
  summary: 'Tickets of your tenant, newest first (agent or admin)',
  security: callerSecurity,
  request: { query: ticketListQuerySchema },
  responses: {
    200: {
      description: 'One page of tickets',
      content: { 'application/json': { schema: ticketListSchema } },
    },
    400: { description: 'Invalid filter', content: problemContent },
    401: { description: 'Not signed in', content: problemContent },
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/tickets/{id}',
  tags: ['tickets'],
  summary: 'One ticket with its messages and attachment metadata (agent or admin)',
  security: callerSecurity,
  request: { params: ticketIdParamsSchema },
  responses: {
    200: {
      description: 'The ticket and its thread, oldest message first',
      content: { 'application/json': { schema: ticketWithMessagesSchema } },
    },
    401: { description: 'Not signed in', content: problemContent },
    404: { description: '`ticket.not_found`', content: problemContent },
  },
});

export function createTicketsRoutes({ tickets }: { tickets: TicketsUsecases }) {
  return createRouter()
    .openapi(listRoute, async (c) => {
      const { tenantId } = requirePrincipal(c);
      const page = await tickets.list(tenantId, c.req.valid('query'));
      return c.json({ ...page, items: page.items.map(toTicketView) }, 200);
    })
    .openapi(getRoute, async (c) => {
      const { tenantId } = requirePrincipal(c);
      const { ticket, messages } = await tickets.getWithMessages(tenantId, c.req.valid('param').id);
      return c.json({ ticket: toTicketView(ticket), messages: messages.map(toMessageView) }, 200);
    });
}
