/**
 * Tickets for agents and admins: one page of the list (with the filters the
 * server supports) and single tickets with their thread. Loads of the same
 * page or ticket share one request.
 */
import type { InferResponseType } from 'hono/client';
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { send, toApiError } from '../api/api-error';
import { useApiClient, type ApiClient } from '../api/client';

type TicketsApi = ApiClient['api']['v1']['tickets'];
export type TicketPage = InferResponseType<TicketsApi['$get'], 200>;
export type Ticket = TicketPage['items'][number];
export type TicketThread = InferResponseType<TicketsApi[':id']['$get'], 200>;
export type TicketMessage = TicketThread['messages'][number];

export interface TicketQuery {
  status?: string;
  mailboxId?: string;
  limit: number;
  offset: number;
}

export const useTicketsStore = defineStore('tickets', () => {
  const api = useApiClient();
  const page = ref<TicketPage | null>(null);
  const threads = ref(new Map<string, TicketThread>());
  const pageInFlight = new Map<string, Promise<TicketPage>>();
  const threadInFlight = new Map<string, Promise<TicketThread>>();

  function loadPage(query: TicketQuery): Promise<TicketPage> {
    const key = JSON.stringify(query);
    let inFlight = pageInFlight.get(key);
    if (!inFlight) {
      inFlight = send(async () => {
        const response = await api.api.v1.tickets.$get({
          query: {
            ...(query.status ? { status: query.status } : {}),
            ...(query.mailboxId ? { mailboxId: query.mailboxId } : {}),
            limit: String(query.limit),
            offset: String(query.offset),
          },
        });
        if (response.status === 200) return response.json();
        throw await toApiError(response);
      })
        .then((result) => {
          page.value = result;
          return result;
        })
        .finally(() => pageInFlight.delete(key));
      pageInFlight.set(key, inFlight);
    }
    return inFlight;
  }

  function loadThread(id: string): Promise<TicketThread> {
    let inFlight = threadInFlight.get(id);
    if (!inFlight) {
      inFlight = send(async () => {
        const response = await api.api.v1.tickets[':id'].$get({ param: { id } });
        if (response.status === 200) return response.json();
        throw await toApiError(response);
      })
        .then((thread) => {
          threads.value.set(id, thread);
          return thread;
        })
        .finally(() => threadInFlight.delete(id));
      threadInFlight.set(id, inFlight);
    }
    return inFlight;
  }

  return { page, threads, loadPage, loadThread };
});
