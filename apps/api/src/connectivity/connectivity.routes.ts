/**
 * Test Connection and the folder list (admin). Routes validate, check the role, call one
 * use case and shape the answer; a refused login is a 200 report with `ok: false`.
 */
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../app/app-env';
import { problemContent } from '../app/problem';
import { createRouter } from '../app/router';
import { requirePrincipal } from '../auth/auth.middleware';
import { callerSecurity } from '../auth/auth.routes';
import { mailboxIdParamsSchema } from '../mailboxes/mailboxes.models';
import {
  folderListSchema,
  testConnectionReportSchema,
  testSavedBodySchema,
  testUnsavedBodySchema,
} from './connectivity.models';
import type { ConnectivityUsecases } from './connectivity.usecases';

const errors = {
  401: { description: 'Not signed in', content: problemContent },
  403: { description: 'Not an admin (`auth.forbidden`)', content: problemContent },
  422: {
    description: '`mailbox.configuration_incomplete`: a credential or setting is missing',
    content: problemContent,
  },
} as const;

const reportContent = { 'application/json': { schema: testConnectionReportSchema } } as const;

const testUnsavedRoute = createRoute({
  method: 'post',
  path: '/mailboxes/test-connection',
  tags: ['mailboxes'],
  summary: 'Test an unsaved configuration: connect, log in, list folders (admin)',
  description: 'Answers 200 with `ok: false` and `error` when the server refused.',
  security: callerSecurity,
  request: {
    body: { required: true, content: { 'application/json': { schema: testUnsavedBodySchema } } },
  },
  responses: {
    200: { description: 'The report, also for a failed connection', content: reportContent },
    400: { description: 'Invalid settings', content: problemContent },
    ...errors,
  },
});

const testSavedRoute = createRoute({
  method: 'post',
  path: '/mailboxes/{id}/test-connection',
  tags: ['mailboxes'],
  summary: 'Test a saved mailbox, optionally with overrides (admin)',
  security: callerSecurity,
  request: {
    params: mailboxIdParamsSchema,
    body: { required: false, content: { 'application/json': { schema: testSavedBodySchema } } },
  },
  responses: {
    200: { description: 'The report, also for a failed connection', content: reportContent },
    400: { description: 'Invalid overrides', content: problemContent },
    ...errors,
    404: { description: '`mailbox.not_found`', content: problemContent },
  },
});

const foldersRoute = createRoute({
  method: 'get',
  path: '/mailboxes/{id}/folders',
  tags: ['mailboxes'],
  summary: "The mailbox's folders on the mail server, for the folder mapping (admin)",
  security: callerSecurity,
  request: { params: mailboxIdParamsSchema },
  responses: {
    200: {
      description: 'Folders with message counts',
      content: { 'application/json': { schema: folderListSchema } },
    },
    ...errors,
    404: { description: '`mailbox.not_found`', content: problemContent },
    502: {
      description: 'The mail server failed: `mail.auth_failed`, `mail.timeout`, …',
      content: problemContent,
    },
  },
});

const mailLogger = (c: Context<AppEnv>) => c.get('logger').child({ component: 'mail' });

export function createConnectivityRoutes({ connectivity }: { connectivity: ConnectivityUsecases }) {
  return createRouter()
    .openapi(testUnsavedRoute, async (c) => {
      requirePrincipal(c, { role: 'admin' });
      const report = await connectivity.testUnsaved(c.req.valid('json'), mailLogger(c));
      c.get('logger').info({ ok: report.ok, code: report.error?.code }, 'connection tested');
      return c.json(report, 200);
    })
    .openapi(testSavedRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'admin' });
      const { id } = c.req.valid('param');
      // An empty body means "as saved"; hono only parses a JSON body that was sent.
      const overrides = c.req.header('content-type') ? c.req.valid('json') : {};
      const report = await connectivity.testSaved(tenantId, id, overrides ?? {}, mailLogger(c));
      c.get('logger').info(
        { mailboxId: id, ok: report.ok, code: report.error?.code },
        'connection tested',
      );
      return c.json(report, 200);
    })
    .openapi(foldersRoute, async (c) => {
      const { tenantId } = requirePrincipal(c, { role: 'admin' });
      const { id } = c.req.valid('param');
      const items = await connectivity.listFolders(tenantId, id, mailLogger(c));
      return c.json({ items }, 200);
    });
}
