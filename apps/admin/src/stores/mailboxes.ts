/**
 * The mailboxes of the tenant as the server reports them: settings, status and
 * the worker's health. The store owns that state, shares one in-flight request
 * between callers that load at the same time (the list refreshes every few
 * seconds while the editor may load the same mailbox), and exposes the admin's
 * verbs (create, save, test, authorize, activate, pause). Every rule (what is
 * complete, what is valid) is the server's; this only carries answers.
 */
import type { InferRequestType, InferResponseType } from 'hono/client';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { send, toApiError } from '../api/api-error';
import { useApiClient, type ApiClient } from '../api/client';

type MailboxesApi = ApiClient['api']['v1']['mailboxes'];
export type Mailbox = InferResponseType<MailboxesApi[':id']['$get'], 200>;
export type CreateMailboxBody = InferRequestType<MailboxesApi['$post']>['json'];
export type UpdateMailboxBody = InferRequestType<MailboxesApi[':id']['$patch']>['json'];
export type ConnectionTestReport = InferResponseType<MailboxesApi['test-connection']['$post'], 200>;
export type FolderInfo = ConnectionTestReport['folders'][number];
export type LedgerPage = InferResponseType<MailboxesApi[':id']['ledger']['$get'], 200>;
export type LedgerEntry = LedgerPage['items'][number];

export interface UnsavedConnectionTest {
  connection: CreateMailboxBody['settings']['connection'];
  oauth?: CreateMailboxBody['settings']['oauth'];
  secrets: { password?: string; clientSecret?: string; refreshToken?: string };
}

export const useMailboxesStore = defineStore('mailboxes', () => {
  const api = useApiClient();
  const byId = ref(new Map<string, Mailbox>());
  const listLoaded = ref(false);
  const listError = ref<unknown>(null);
  let listInFlight: Promise<void> | null = null;
  const oneInFlight = new Map<string, Promise<Mailbox>>();

  /** By name, as the server sorts them; a locale compare keeps it stable after local upserts. */
  const sorted = computed(() =>
    [...byId.value.values()].sort((a, b) => a.name.localeCompare(b.name)),
  );

  function upsert(mailbox: Mailbox): Mailbox {
    byId.value.set(mailbox.id, mailbox);
    return mailbox;
  }

  function loadAll(): Promise<void> {
    listInFlight ??= send(async () => {
      const response = await api.api.v1.mailboxes.$get();
      if (response.status === 200) return response.json();
      throw await toApiError(response);
    })
      .then(
        ({ items }) => {
          byId.value = new Map(items.map((item) => [item.id, item]));
          listLoaded.value = true;
          listError.value = null;
        },
        (error: unknown) => {
          listError.value = error;
        },
      )
      .finally(() => {
        listInFlight = null;
      });
    return listInFlight;
  }

  function load(id: string): Promise<Mailbox> {
    let inFlight = oneInFlight.get(id);
    if (!inFlight) {
      inFlight = send(async () => {
        const response = await api.api.v1.mailboxes[':id'].$get({ param: { id } });
        if (response.status === 200) return response.json();
        throw await toApiError(response);
      })
        .then(upsert)
        .finally(() => oneInFlight.delete(id));
      oneInFlight.set(id, inFlight);
    }
    return inFlight;
  }

  async function create(body: CreateMailboxBody): Promise<Mailbox> {
    const created = await send(async () => {
      const response = await api.api.v1.mailboxes.$post({ json: body });
      if (response.status === 201) return response.json();
      throw await toApiError(response);
    });
    return upsert(created);
  }

  async function update(id: string, body: UpdateMailboxBody): Promise<Mailbox> {
    const updated = await send(async () => {
      const response = await api.api.v1.mailboxes[':id'].$patch({ param: { id }, json: body });
      if (response.status === 200) return response.json();
      throw await toApiError(response);
    });
    return upsert(updated);
  }

  /** Tests settings as entered (nothing is stored). */
  const testUnsaved = (input: UnsavedConnectionTest): Promise<ConnectionTestReport> =>
    send(async () => {
      const response = await api.api.v1.mailboxes['test-connection'].$post({ json: input });
      if (response.status === 200) return response.json();
      throw await toApiError(response);
    });

  /**
   * Tests a saved mailbox: groups given replace the saved ones for this test,
   * secrets not given come from the stored (encrypted) ones.
   */
  const testSaved = (
    id: string,
    overrides: Partial<UnsavedConnectionTest>,
  ): Promise<ConnectionTestReport> =>
    send(async () => {
      const response = await api.api.v1.mailboxes[':id']['test-connection'].$post({
        param: { id },
        json: overrides,
      });
      if (response.status === 200) return response.json();
      throw await toApiError(response);
    });

  /** The folders of a saved mailbox, through a real login (a mail problem is an ApiError `mail.*`). */
  const folders = (id: string): Promise<FolderInfo[]> =>
    send(async () => {
      const response = await api.api.v1.mailboxes[':id'].folders.$get({ param: { id } });
      if (response.status === 200) return (await response.json()).items;
      throw await toApiError(response);
    });

  const authorizeUrl = (id: string): Promise<string> =>
    send(async () => {
      const response = await api.api.v1.mailboxes[':id'].oauth.authorize.$post({ param: { id } });
      if (response.status === 200) return (await response.json()).url;
      throw await toApiError(response);
    });

  async function setActive(id: string, active: boolean): Promise<Mailbox> {
    const mailbox = await send(async () => {
      const route = api.api.v1.mailboxes[':id'];
      const response = active
        ? await route.activate.$post({ param: { id } })
        : await route.pause.$post({ param: { id } });
      if (response.status === 200) return response.json();
      throw await toApiError(response);
    });
    return upsert(mailbox);
  }

  /** `outcome` is a comma list of outcomes; `cursor` the previous page's `nextCursor`. */
  const ledger = (
    id: string,
    query: { outcome?: string; cursor?: string | null; limit?: number },
  ): Promise<LedgerPage> =>
    send(async () => {
      const response = await api.api.v1.mailboxes[':id'].ledger.$get({
        param: { id },
        query: {
          ...(query.outcome ? { outcome: query.outcome } : {}),
          ...(query.cursor ? { cursor: query.cursor } : {}),
          ...(query.limit ? { limit: String(query.limit) } : {}),
        },
      });
      if (response.status === 200) return response.json();
      throw await toApiError(response);
    });

  return {
    byId,
    sorted,
    listLoaded,
    listError,
    loadAll,
    load,
    create,
    update,
    testUnsaved,
    testSaved,
    folders,
    authorizeUrl,
    setActive,
    ledger,
  };
});
