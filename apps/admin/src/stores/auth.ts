/**
 * Who is signed in. The store owns the server's answer to GET /api/v1/me,
 * loads it at most once at a time (parallel navigations share one request),
 * and performs sign-in and sign-out. The session itself lives in an httpOnly
 * cookie this code never sees.
 */
import type { InferResponseType } from 'hono/client';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { send, toApiError } from '../api/api-error';
import { useApiClient, type ApiClient } from '../api/client';

export type Me = InferResponseType<ApiClient['api']['v1']['me']['$get'], 200>;

export const useAuthStore = defineStore('auth', () => {
  const api = useApiClient();
  const me = ref<Me | null>(null);
  /** True once the server has answered whether there is a session. */
  const checked = ref(false);
  const loadError = ref<unknown>(null);
  let inFlight: Promise<Me | null> | null = null;

  const signedIn = computed(() => me.value !== null);
  const isAdmin = computed(() => me.value?.role === 'admin');

  function loadMe(options: { force?: boolean } = {}): Promise<Me | null> {
    if (checked.value && !options.force) return Promise.resolve(me.value);
    inFlight ??= send(async () => {
      const response = await api.api.v1.me.$get();
      if (response.status === 200) return response.json();
      if (response.status === 401) return null;
      throw await toApiError(response);
    })
      .then(
        (result) => {
          me.value = result;
          loadError.value = null;
          return result;
        },
        (error: unknown) => {
          me.value = null;
          loadError.value = error;
          return null;
        },
      )
      .finally(() => {
        checked.value = true;
        inFlight = null;
      });
    return inFlight;
  }

  /** Throws ApiError (e.g. `auth.invalid_credentials`); the page turns it into words. */
  async function login(credentials: { email: string; password: string }): Promise<Me> {
    const result = await send(async () => {
      const response = await api.api.v1.auth.login.$post({ json: credentials });
      if (response.status === 200) return response.json();
      throw await toApiError(response);
    });
    me.value = result.me;
    checked.value = true;
    loadError.value = null;
    return result.me;
  }

  async function logout(): Promise<void> {
    try {
      await send(() => api.api.v1.auth.logout.$post());
    } finally {
      // Even if the server is unreachable, this tab forgets the user.
      me.value = null;
      checked.value = true;
    }
  }

  return { me, checked, loadError, signedIn, isAdmin, loadMe, login, logout };
});
