/**
 * The catalog the mapping step chooses from: templates (draft -> published, fields validated
 * by the domain schema), ticket types and offers, scoped to the tenant, written by admins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../mailbox-support';

let t: TestContext;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const fields = [
  { key: 'customer_email', label: 'Customer email', type: 'email', required: true },
  { key: 'priority', label: 'Priority', type: 'select', options: ['High', 'Medium', 'Low'] },
];

describe('/api/v1/templates', () => {
  it('creates a draft, edits it, publishes it and lists it by status', async () => {
    const created = await t.call<{ id: string; status: string; fields: unknown[] }>(
      'POST',
      '/api/v1/templates',
      { name: 'Support request', fields },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', name: 'Support request' });
    expect(created.body.fields).toHaveLength(2);
    const id = created.body.id;

    const renamed = await t.call('PATCH', `/api/v1/templates/${id}`, { name: 'Support' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Support', status: 'draft' });

    expect((await t.call('GET', '/api/v1/templates?status=published')).body).toEqual({
      items: [],
    });
    const published = await t.call('POST', `/api/v1/templates/${id}/publish`);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ id, status: 'published' });
    const list = await t.call<{ items: Array<{ id: string }> }>(
      'GET',
      '/api/v1/templates?status=published',
    );
    expect(list.body.items.map((item) => item.id)).toEqual([id]);
    const one = await t.call('GET', `/api/v1/templates/${id}`, undefined, t.agentCookie);
    expect(one.status).toBe(200);
  });

  it('refuses invalid fields with one entry per field', async () => {
    const { status, body } = await t.call('POST', '/api/v1/templates', {
      name: 'Bad',
      fields: [{ key: 'Bad Key', label: '', type: 'colour' }],
    });
    expect(status).toBe(400);
    const paths = (body.errors as Array<{ path: string }>).map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['fields.0.key', 'fields.0.label', 'fields.0.type']),
    );
  });

  it('refuses a choice field without options and a duplicate name', async () => {
    const noOptions = await t.call('POST', '/api/v1/templates', {
      name: 'Choice',
      fields: [{ key: 'pick', label: 'Pick', type: 'select' }],
    });
    expect(noOptions.status).toBe(400);
    expect(noOptions.body.code).toBe('template.missing_options');
    await t.call('POST', '/api/v1/templates', { name: 'Twice', fields: [] });
    const twice = await t.call('POST', '/api/v1/templates', { name: 'Twice', fields: [] });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('template.name_taken');
  });

  it('answers 404 template.not_found for an unknown id and 403 for agents writing', async () => {
    const missing = await t.call('GET', '/api/v1/templates/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('template.not_found');
    const agent = await t.call(
      'POST',
      '/api/v1/templates',
      { name: 'X', fields: [] },
      t.agentCookie,
    );
    expect(agent.status).toBe(403);
  });
});

describe('/api/v1/ticket-types and /api/v1/offers', () => {
  it('creates and lists ticket types by name, refusing a duplicate', async () => {
    for (const name of ['Question', 'Incident']) {
      const created = await t.call('POST', '/api/v1/ticket-types', { name, description: null });
      expect(created.status).toBe(201);
    }
    const list = await t.call<{ items: Array<{ name: string }> }>('GET', '/api/v1/ticket-types');
    expect(list.body.items.map((item) => item.name)).toEqual(['Incident', 'Question']);
    const twice = await t.call('POST', '/api/v1/ticket-types', { name: 'Question' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('ticket_type.name_taken');
    const empty = await t.call('POST', '/api/v1/ticket-types', { name: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ path: 'name', message: 'enter a name' }]);
  });

  it('creates and lists offers', async () => {
    const created = await t.call('POST', '/api/v1/offers', {
      name: 'Premium support',
      description: '24/7',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Premium support', description: '24/7' });
    const list = await t.call<{ items: unknown[] }>(
      'GET',
      '/api/v1/offers',
      undefined,
      t.agentCookie,
    );
    expect(list.body.items).toHaveLength(1);
    const agent = await t.call('POST', '/api/v1/offers', { name: 'No' }, t.agentCookie);
    expect(agent.status).toBe(403);
  });
});
