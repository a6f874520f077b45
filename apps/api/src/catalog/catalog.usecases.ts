/**
 * Templates, ticket types and offers of the caller's tenant. Every read and write is scoped
 * to the tenant; a template of another tenant is "not found". Validation of the content is
 * the domain's and the repositories'.
 */
import type { OffersRepository, TemplatesRepository, TicketTypesRepository } from '@mailroom/db';
import { MailroomError, type TemplateStatus } from '@mailroom/domain';

const templateNotFound = () =>
  new MailroomError('template.not_found', 'This ticket template does not exist.', {
    kind: 'not_found',
  });

export function createCatalogUsecases({
  templates,
  ticketTypes,
  offers,
}: {
  templates: TemplatesRepository;
  ticketTypes: TicketTypesRepository;
  offers: OffersRepository;
}) {
  const getTemplate = async (tenantId: string, id: string) => {
    const template = await templates.get(id, { tenantId });
    if (template === null) throw templateNotFound();
    return template;
  };

  return {
    listTemplates: (tenantId: string, filter: { status?: TemplateStatus }) =>
      templates.listByTenant(tenantId, filter),
    getTemplate,
    createTemplate: (
      tenantId: string,
      input: { name: string; fields: unknown; status?: TemplateStatus },
    ) => templates.create({ tenantId, ...input }),
    async updateTemplate(tenantId: string, id: string, patch: { name?: string; fields?: unknown }) {
      await getTemplate(tenantId, id);
      return templates.update(id, patch);
    },
    async publishTemplate(tenantId: string, id: string) {
      const template = await getTemplate(tenantId, id);
      return template.status === 'published' ? template : templates.setStatus(id, 'published');
    },

    listTicketTypes: (tenantId: string) => ticketTypes.listByTenant(tenantId),
    createTicketType: (tenantId: string, input: { name: string; description?: string | null }) =>
      ticketTypes.create({ tenantId, ...input }),

    listOffers: (tenantId: string) => offers.listByTenant(tenantId),
    createOffer: (tenantId: string, input: { name: string; description?: string | null }) =>
      offers.create({ tenantId, ...input }),
  };
}

export type CatalogUsecases = ReturnType<typeof createCatalogUsecases>;
