import { describe, expect, it } from 'vitest';
import {
  createOffersRepository,
  createTemplatesRepository,
  createTicketTypesRepository,
} from '../src/index';
import { engines, useMigratedDatabase } from './engines';
import { hasCode, makeTenant } from './fixtures';

describe.each(engines)('templates, ticket types and offers on $kind', (engine) => {
  const database = useMigratedDatabase(engine);

  it('stores a template with typed fields as a draft and publishes it', async () => {
    const { db } = database();
    const templates = createTemplatesRepository({ db });
    const tenant = await makeTenant(db);
    const template = await templates.create({
      tenantId: tenant.id,
      name: 'Hardware fault',
      fields: [
        { key: 'description', label: 'Description', type: 'textarea', required: true },
        { key: 'severity', label: 'Severity', type: 'select', options: ['low', 'high'] },
      ],
    });
    expect(template.status).toBe('draft');
    expect(template.fields[1]).toEqual({
      key: 'severity',
      label: 'Severity',
      type: 'select',
      required: false,
      options: ['low', 'high'],
    });

    const published = await templates.setStatus(template.id, 'published');
    expect(published.status).toBe('published');
    expect(
      (await templates.listByTenant(tenant.id, { status: 'published' })).map((t) => t.id),
    ).toEqual([template.id]);
    expect(await templates.listByTenant(tenant.id, { status: 'draft' })).toEqual([]);
    expect(await templates.get(template.id, { tenantId: tenant.id })).toMatchObject({
      name: 'Hardware fault',
    });

    const renamed = await templates.update(template.id, { name: 'Hardware' });
    expect(renamed.name).toBe('Hardware');
    expect(renamed.updatedAt.getTime()).toBeGreaterThanOrEqual(template.updatedAt.getTime());
  });

  it('rejects invalid fields with the path of each problem', async () => {
    const { db } = database();
    const templates = createTemplatesRepository({ db });
    const tenant = await makeTenant(db);
    const attempt = templates.create({
      tenantId: tenant.id,
      name: 'Broken',
      fields: [{ key: 'Bad Key', label: '', type: 'colour' }],
    });
    await expect(attempt).rejects.toMatchObject({
      code: 'template.invalid_fields',
      issues: expect.arrayContaining([expect.objectContaining({ path: 'fields.0.key' })]),
    });
    await expect(
      templates.create({
        tenantId: tenant.id,
        name: 'Dup',
        fields: [
          { key: 'a', label: 'A', type: 'text' },
          { key: 'a', label: 'A again', type: 'text' },
        ],
      }),
    ).rejects.toMatchObject({
      code: 'template.duplicate_field',
      issues: [{ path: 'fields.1.key' }],
    });
    await expect(
      templates.create({
        tenantId: tenant.id,
        name: 'Sel',
        fields: [{ key: 's', label: 'S', type: 'select' }],
      }),
    ).rejects.toSatisfy(hasCode('template.missing_options'));
  });

  it('keeps template names unique per tenant', async () => {
    const { db } = database();
    const templates = createTemplatesRepository({ db });
    const tenant = await makeTenant(db);
    await templates.create({ tenantId: tenant.id, name: 'Same', fields: [] });
    await expect(
      templates.create({ tenantId: tenant.id, name: 'Same', fields: [] }),
    ).rejects.toSatisfy(hasCode('template.name_taken'));
    const other = await makeTenant(db);
    await expect(
      templates.create({ tenantId: other.id, name: 'Same', fields: [] }),
    ).resolves.toMatchObject({ name: 'Same' });
  });

  it('manages ticket types and offers per tenant', async () => {
    const { db } = database();
    const ticketTypes = createTicketTypesRepository({ db });
    const offers = createOffersRepository({ db });
    const tenant = await makeTenant(db);
    const incident = await ticketTypes.create({ tenantId: tenant.id, name: 'Incident' });
    const request = await ticketTypes.create({
      tenantId: tenant.id,
      name: 'Request',
      description: 'Asks for something',
    });
    await expect(ticketTypes.create({ tenantId: tenant.id, name: 'Incident' })).rejects.toSatisfy(
      hasCode('ticket_type.name_taken'),
    );
    expect((await ticketTypes.listByTenant(tenant.id)).map((t) => t.name)).toEqual([
      'Incident',
      'Request',
    ]);
    expect(
      (await ticketTypes.getMany(tenant.id, [incident.id, 'junk', request.id]))
        .map((t) => t.id)
        .sort(),
    ).toEqual([incident.id, request.id].sort());
    const other = await makeTenant(db);
    expect(await ticketTypes.getMany(other.id, [incident.id])).toEqual([]);
    expect(await ticketTypes.get(incident.id, { tenantId: other.id })).toBeNull();
    expect((await ticketTypes.update(request.id, { description: null })).description).toBeNull();

    const gold = await offers.create({ tenantId: tenant.id, name: 'Gold support' });
    expect(await offers.get(gold.id)).toEqual(gold);
    await expect(offers.create({ tenantId: tenant.id, name: 'Gold support' })).rejects.toSatisfy(
      hasCode('offer.name_taken'),
    );
    expect((await offers.update(gold.id, { name: 'Platinum' })).name).toBe('Platinum');
    await expect(
      offers.update('00000000-0000-4000-8000-000000000000', { name: 'x' }),
    ).rejects.toSatisfy(hasCode('offer.not_found'));
  });
});
