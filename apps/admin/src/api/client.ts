/**
 * The typed HTTP client: hono/client over the API's route types, so a changed
 * endpoint breaks the admin build instead of a user's click. Created once in
 * main.ts and provided to the app; stores take it with useApiClient().
 */
import type { AppType } from '@mailroom/api/client';
import { hc } from 'hono/client';
import { inject, type InjectionKey } from 'vue';

export const createApiClient = (origin: string) =>
  hc<AppType>(origin, { init: { credentials: 'same-origin' } });

export type ApiClient = ReturnType<typeof createApiClient>;

export const apiClientKey: InjectionKey<ApiClient> = Symbol('api-client');

export function useApiClient(): ApiClient {
  const client = inject(apiClientKey);
  if (!client) throw new Error('The API client is not provided; see main.ts.');
  return client;
}
