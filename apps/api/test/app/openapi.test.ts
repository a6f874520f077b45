import type { Database } from '@mailroom/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, openTestDatabase } from '../support';

describe('GET /api/openapi.json', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase({ migrate: false });
  });
  afterAll(async () => {
    await database.close();
  });

  it('describes every route built so far as OpenAPI 3.1, with problem+json errors', async () => {
    const { app } = buildApp(database);
    const response = await app.request('/api/openapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
      >;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/api/v1/auth/login',
      '/api/v1/auth/logout',
      '/api/v1/mailboxes',
      '/api/v1/mailboxes/test-connection',
      '/api/v1/mailboxes/{id}',
      '/api/v1/mailboxes/{id}/activate',
      '/api/v1/mailboxes/{id}/folders',
      '/api/v1/mailboxes/{id}/ledger',
      '/api/v1/mailboxes/{id}/oauth/authorize',
      '/api/v1/mailboxes/{id}/pause',
      '/api/v1/mailboxes/{id}/test-connection',
      '/api/v1/me',
      '/api/v1/oauth/callback',
      '/api/v1/offers',
      '/api/v1/templates',
      '/api/v1/templates/{id}',
      '/api/v1/templates/{id}/publish',
      '/api/v1/ticket-types',
      '/api/v1/tickets',
      '/api/v1/tickets/{id}',
      '/api/v1/tickets/{id}/attachments/{attachmentId}',
      '/api/v1/tickets/{id}/messages/{messageId}/html',
      '/healthz',
      '/readyz',
    ]);
    expect(Object.keys(document.paths['/api/v1/auth/login']?.post?.responses ?? {})).toEqual([
      '200',
      '400',
      '401',
    ]);
    expect(document.paths['/readyz']?.get?.responses['503']?.content).toHaveProperty([
      'application/problem+json',
    ]);
    expect(document.components.schemas).toHaveProperty('Problem');
    expect(document.components.schemas).toHaveProperty('TestConnectionReport');
    expect(
      document.paths['/api/v1/mailboxes/{id}/folders']?.get?.responses['502']?.content,
    ).toHaveProperty(['application/problem+json']);
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['apiKey', 'session']);
  });
});
