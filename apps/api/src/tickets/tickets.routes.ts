/**
 * /api/v1/tickets: read-only for now — the list (newest first), one ticket with
 * its thread, one message's HTML as its own locked-down document, and
 * attachment downloads. The last two set their own security headers, which the
 * app-wide secure-headers middleware leaves alone (it does not overwrite).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { problemContent } from '../app/problem';
import { createRouter } from '../app/router';
import { requirePrincipal } from '../auth/auth.middleware';
import { callerSecurity } from '../auth/auth.routes';
import { downloadHeaders } from './attachment-download.models';
import { messageDocumentCsp } from './message-document.models';
import {
  attachmentParamsSchema,
  messageParamsSchema,
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

/** Sent with every byte of mail content: readable only by this origin, never sniffed. */
const contentHeaders = {
  'x-content-type-options': 'nosniff',
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
  // Immutable once stored, but private: tied to the caller's session or key.
  'cache-control': 'private, max-age=300',
  vary: 'Cookie, Authorization',
} as const;

/** The blob is read whole (the store has no ranged reads); it is sent in 64 KiB chunks. */
const streamOf = (bytes: Uint8Array): ReadableStream<Uint8Array> => {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.byteLength) return controller.close();
      const end = Math.min(offset + 65_536, bytes.byteLength);
      controller.enqueue(bytes.slice(offset, end));
      offset = end;
    },
  });
};

const messageHtmlRoute = createRoute({
  method: 'get',
  path: '/tickets/{id}/messages/{messageId}/html',
  tags: ['tickets'],
  summary: 'One message as a stand-alone, script-free HTML document (agent or admin)',
  description:
    'The HTML sanitized at ingestion (or the text in a `<pre>` when the mail had no HTML), ' +
    'wrapped in a document with base typography. `cid:` images point at this message’s ' +
    'attachment downloads. Its own `Content-Security-Policy` allows inline styles and only ' +
    'those images, and sandboxes the document (no scripts, forms or remote loads); meant for ' +
    'an `<iframe sandbox src=…>`.',
  security: callerSecurity,
  request: { params: messageParamsSchema },
  responses: {
    200: {
      description: 'The document',
      content: { 'text/html': { schema: z.string() } },
    },
    401: { description: 'Not signed in', content: problemContent },
    404: {
      description: '`ticket.not_found`, `ticket.message_not_found`',
      content: problemContent,
    },
  },
});

const attachmentRoute = createRoute({
  method: 'get',
  path: '/tickets/{id}/attachments/{attachmentId}',
  tags: ['tickets'],
  summary: 'Download an attachment of the ticket (agent or admin)',
  description:
    'The bytes with the attachment’s `Content-Type` and `Content-Disposition: inline` for ' +
    'raster images and pdf; anything a browser could run (html, svg, xml, script, unknown ' +
    'types) comes as `application/octet-stream` with `Content-Disposition: attachment`. ' +
    'File names follow RFC 6266 (`filename` ASCII fallback + `filename*` UTF-8).',
  security: callerSecurity,
  request: { params: attachmentParamsSchema },
  responses: {
    200: {
      description: 'The attachment’s bytes',
      content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    401: { description: 'Not signed in', content: problemContent },
    404: {
      description: '`ticket.not_found`, `ticket.attachment_not_found`',
      content: problemContent,
    },
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
    })
    .openapi(messageHtmlRoute, async (c) => {
      const { tenantId } = requirePrincipal(c);
      const { id, messageId } = c.req.valid('param');
      const { ticket, document } = await tickets.getMessageDocument(tenantId, id, messageId);
      const origin = new URL(c.req.url).origin;
      return c.body(document.html, 200, {
        ...contentHeaders,
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': messageDocumentCsp(origin, ticket.id, document.inlineImages),
      });
    })
    .openapi(attachmentRoute, async (c) => {
      const { tenantId } = requirePrincipal(c);
      const { id, attachmentId } = c.req.valid('param');
      const { attachment, bytes } = await tickets.getAttachmentFile(tenantId, id, attachmentId);
      const download = downloadHeaders(attachment);
      return c.body(streamOf(bytes), 200, {
        ...contentHeaders,
        'content-type': download.contentType,
        'content-disposition': download.contentDisposition,
        'content-length': String(bytes.byteLength),
        // Even a type we trust must not get to run anything if opened directly.
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      });
    });
}
