/**
 * Data factories for the e2e tests: users through the real CLI, everything
 * else through the real API with a signed-in session, so each test states only
 * what matters to it ("a published template with a required select field").
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from './support';

export interface UserInput {
  email: string;
  name: string;
  password: string;
  role: 'admin' | 'agent';
}

let userCount = 0;
export const buildUser = (overrides: Partial<UserInput> = {}): UserInput => {
  userCount += 1;
  return {
    email: `user${userCount}.${randomUUID().slice(0, 6)}@example.test`,
    name: `Test User ${userCount}`,
    password: `e2e-password-${randomUUID()}`,
    role: 'admin',
    ...overrides,
  };
};

/** `pnpm mailroom user create` against the data folder in `env`. */
export async function createUser(env: NodeJS.ProcessEnv, dataDir: string, user: UserInput) {
  const passwordFile = join(dataDir, `password-${randomUUID()}`);
  await writeFile(passwordFile, `${user.password}\n`, { mode: 0o600 });
  const result = await runCli(
    [
      'user',
      'create',
      '--email',
      user.email,
      '--name',
      user.name,
      '--role',
      user.role,
      '--password-file',
      passwordFile,
    ],
    env,
  );
  if (result.code !== 0) throw new Error(`user create failed:\n${result.output}`);
  return user;
}

export interface ApiSession {
  request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
}

/** Signs in over HTTP and keeps the session cookie, like a browser would. */
export async function signInApi(baseUrl: string, user: UserInput): Promise<ApiSession> {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return {
    async request<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
    },
  };
}

async function expectCreated<T>(
  answer: Promise<{ status: number; body: T }>,
  what: string,
): Promise<T> {
  const { status, body } = await answer;
  if (status !== 200 && status !== 201)
    throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return body;
}

export async function createTicketType(api: ApiSession, name = `Type ${randomUUID().slice(0, 6)}`) {
  return expectCreated<{ id: string; name: string }>(
    api.request('POST', '/api/v1/ticket-types', { name }),
    'ticket type',
  );
}

export async function createOffer(api: ApiSession, name = `Offer ${randomUUID().slice(0, 6)}`) {
  return expectCreated<{ id: string; name: string }>(
    api.request('POST', '/api/v1/offers', { name }),
    'offer',
  );
}

export interface TemplateFieldInput {
  key: string;
  label: string;
  type: string;
  required?: boolean;
  options?: string[];
}

/** A published template unless `status: 'draft'` is asked for. */
export async function createTemplate(
  api: ApiSession,
  input: { name?: string; fields?: TemplateFieldInput[]; status?: 'draft' | 'published' } = {},
) {
  const template = await expectCreated<{ id: string; name: string; status: string }>(
    api.request('POST', '/api/v1/templates', {
      name: input.name ?? `Template ${randomUUID().slice(0, 6)}`,
      fields: input.fields ?? [],
    }),
    'template',
  );
  if ((input.status ?? 'published') === 'draft') return template;
  return expectCreated<{ id: string; name: string; status: string }>(
    api.request('POST', `/api/v1/templates/${template.id}/publish`, {}),
    'publish template',
  );
}

/** A draft mailbox pointing at an IMAP server over implicit TLS with a self-signed certificate. */
export async function createMailbox(
  api: ApiSession,
  input: { name?: string; host: string; port: number; username: string; password: string },
) {
  return expectCreated<{ id: string; name: string; settingsVersion: number }>(
    api.request('POST', '/api/v1/mailboxes', {
      settings: {
        name: input.name ?? `Mailbox ${randomUUID().slice(0, 6)}`,
        connection: {
          host: input.host,
          port: input.port,
          tls: 'implicit',
          username: input.username,
          replyTo: `${input.username}@example.test`,
          authType: 'password',
          trustSelfSigned: true,
        },
        policy: {},
        reading: {},
      },
      secrets: { password: input.password },
    }),
    'mailbox',
  );
}
