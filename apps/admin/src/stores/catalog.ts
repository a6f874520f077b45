/**
 * What a mailbox's ticket mapping chooses from: ticket templates, ticket types
 * and offers of the tenant. Loaded once per session (one request each, shared
 * by every caller) and refreshed on demand; published templates are a view.
 */
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { requestJson } from '../api/http';
import type { NamedItem, TemplateView } from '../api/types';

interface Listing<T> {
  items: T[];
}

export const useCatalogStore = defineStore('catalog', () => {
  const templates = ref<TemplateView[]>([]);
  const ticketTypes = ref<NamedItem[]>([]);
  const offers = ref<NamedItem[]>([]);
  const loaded = ref(false);
  const error = ref<unknown>(null);
  let inFlight: Promise<void> | null = null;

  const publishedTemplates = computed(() =>
    templates.value
      .filter((template) => template.status === 'published')
      .sort((a, b) => a.name.localeCompare(b.name)),
  );
  const sortedTicketTypes = computed(() =>
    [...ticketTypes.value].sort((a, b) => a.name.localeCompare(b.name)),
  );
  const sortedOffers = computed(() =>
    [...offers.value].sort((a, b) => a.name.localeCompare(b.name)),
  );

  function load(options: { force?: boolean } = {}): Promise<void> {
    if (loaded.value && !options.force) return Promise.resolve();
    inFlight ??= Promise.all([
      requestJson<Listing<TemplateView>>('GET', '/api/v1/templates'),
      requestJson<Listing<NamedItem>>('GET', '/api/v1/ticket-types'),
      requestJson<Listing<NamedItem>>('GET', '/api/v1/offers'),
    ])
      .then(
        ([templateList, typeList, offerList]) => {
          templates.value = templateList.items;
          ticketTypes.value = typeList.items;
          offers.value = offerList.items;
          loaded.value = true;
          error.value = null;
        },
        (caught: unknown) => {
          error.value = caught;
        },
      )
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  }

  const templateById = (id: string | undefined) =>
    templates.value.find((template) => template.id === id) ?? null;

  return {
    templates,
    ticketTypes,
    offers,
    loaded,
    error,
    publishedTemplates,
    sortedTicketTypes,
    sortedOffers,
    load,
    templateById,
  };
});
