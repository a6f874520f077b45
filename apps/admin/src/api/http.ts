/**
 * Plain JSON requests for endpoints the typed client does not know yet (the
 * mailbox wizard's test-connection, folders, OAuth, activation, ledger and the
 * template / ticket-type / offer catalogues are being added to the API now).
 * Same error contract as the typed client: a failure is an ApiError with the
 * server's code. When an endpoint lands in AppType, move its call to hc.
 */
import { send, toApiError } from './api-error';

export async function requestJson<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  return send(async () => {
    const response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw await toApiError(response);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  });
}

export const queryString = (query: Record<string, string | number | undefined | null>): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
};
