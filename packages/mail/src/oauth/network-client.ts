/**
 * MSAL's HTTP client for token requests, on node:https. It exists for two reasons: a request
 * timeout on POSTs (MSAL's default client has none), and trusting a private CA for the token
 * endpoint of one mailbox (private clouds, the test fake) without a process-wide
 * NODE_EXTRA_CA_CERTS. Failures surface as MSAL `network_error`s, never with a request body.
 */
import https from 'node:https';
import tls from 'node:tls';
import {
  AuthError,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';

export interface NetworkClientOptions {
  /** PEM of extra CA certificates to trust, in addition to the system ones. */
  ca?: string;
  /** Per request, including reading the answer. */
  timeoutMs: number;
}

const MAX_RESPONSE_BYTES = 1024 * 1024;

const networkError = (detail: string, code?: string): AuthError =>
  Object.assign(
    new AuthError('network_error', '', `Network request failed: ${detail}`),
    code ? { code } : {},
  );

const send = <T>(
  method: 'GET' | 'POST',
  url: string,
  options: NetworkRequestOptions | undefined,
  setup: NetworkClientOptions,
  timeoutMs: number,
): Promise<NetworkResponse<T>> =>
  new Promise((resolve, reject) => {
    const body = method === 'POST' ? (options?.body ?? '') : undefined;
    const request = https.request(url, {
      method,
      headers: {
        ...options?.headers,
        ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
      },
      ...(setup.ca ? { ca: [...tls.rootCertificates, setup.ca] } : {}),
      timeout: timeoutMs,
    });
    const timer = setTimeout(
      () => request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
      timeoutMs,
    );
    request.on('timeout', () =>
      request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(networkError(error.code ?? error.message, error.code));
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) request.destroy(new Error('response too large'));
        else chunks.push(chunk);
      });
      response.on('error', (error) => {
        clearTimeout(timer);
        reject(networkError(error.message));
      });
      response.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown;
        try {
          parsed = text === '' ? {} : JSON.parse(text);
        } catch {
          reject(
            Object.assign(
              new AuthError(
                'server_error',
                '',
                `The token endpoint answered HTTP ${response.statusCode ?? 0} without JSON`,
              ),
              { status: response.statusCode ?? 0 },
            ),
          );
          return;
        }
        const headers: Record<string, string> = {};
        for (const [key, value] of Object.entries(response.headers)) {
          if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({ headers, body: parsed as T, status: response.statusCode ?? 0 });
      });
    });
    if (body !== undefined) request.write(body);
    request.end();
  });

export const createNetworkClient = (setup: NetworkClientOptions): INetworkModule => ({
  sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
    send<T>('GET', url, options, setup, timeout ?? setup.timeoutMs),
  sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) =>
    send<T>('POST', url, options, setup, setup.timeoutMs),
});
