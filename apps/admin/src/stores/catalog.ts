/**
 * What a mailbox's ticket mapping chooses from: ticket templates, ticket types
 * and offers of the tenant. Loaded once per session (one request each, shared
 * by every caller) and refreshed on demand; published templates are a view.
 */
import type { InferResponseType } from 'hono/client';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { send, toApiError } from '../api/api-error';
import { useApiClient, type ApiClient } from '../api/client';

type V1 = ApiClient['api']['v1'];
export type TemplateView = InferResponseType<V1['templates']['$get'], 200>['items'][number];
export type NamedItem = InferResponseType<V1['offers']['$get'], 200>['items'][number];

/** Resolves a typed-client call to its 200 body or throws ApiError. */
async function itemsOf<T>(
  call: () => Promise<{ status: number; json(): Promise<unknown> } & Response>,
): Promise<T[]> {
  return send(async () => {
    const response = await call();
    if (response.status === 200) return ((await response.json()) as { items: T[] }).items;
    throw await toApiError(response);
  });
}

export const useCatalogStore = defineStore('catalog', () => {
  const api = useApiClient();
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
      itemsOf<TemplateView>(() => api.api.v1.templates.$get({ query: {} })),
      itemsOf<NamedItem>(() => api.api.v1['ticket-types'].$get()),
      itemsOf<NamedItem>(() => api.api.v1.offers.$get()),
    ])
      .then(
        ([templateList, typeList, offerList]) => {
          templates.value = templateList;
          ticketTypes.value = typeList;
          offers.value = offerList;
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
