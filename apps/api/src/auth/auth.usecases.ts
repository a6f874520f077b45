/**
 * Who is calling: sign-in with email + password (a session whose token lives
 * only in an httpOnly cookie), sign-out, and turning a session token or an
 * API key into a Principal. Transport-free; the routes and middleware map
 * results to HTTP.
 */
import type { ApiKeysRepository, SessionsRepository, UsersRepository } from '@mailroom/db';
import type { Principal } from '../app/app-env';
import { invalidApiKeyError, invalidCredentialsError } from './auth.errors';

export interface AuthDeps {
  users: UsersRepository;
  sessions: SessionsRepository;
  apiKeys: ApiKeysRepository;
  sessionTtlMs: number;
  now?: () => Date;
}

export function createAuthUsecases({
  users,
  sessions,
  apiKeys,
  sessionTtlMs,
  now = () => new Date(),
}: AuthDeps) {
  return {
    async login(input: { email: string; password: string }) {
      const user = await users.authenticate(input);
      if (!user) throw invalidCredentialsError();
      const { token, session } = await sessions.create({
        userId: user.id,
        ttlMs: sessionTtlMs,
        now: now(),
      });
      return { token, user, expiresAt: session.expiresAt };
    },

    async logout(token: string): Promise<void> {
      await sessions.revoke(token);
    },

    /** null when the token is unknown, expired, or its user is disabled. */
    async principalFromSession(token: string): Promise<Principal | null> {
      const resolved = await sessions.resolve(token, now());
      if (!resolved) return null;
      const { user, session } = resolved;
      return {
        kind: 'user',
        userId: user.id,
        tenantId: user.tenantId,
        role: user.role,
        email: user.email,
        name: user.name,
        sessionId: session.id,
      };
    },

    /** Throws auth.invalid_api_key: a caller who sends a key wants to know it failed. */
    async principalFromApiKey(plaintext: string): Promise<Principal> {
      const key = await apiKeys.verify(plaintext, now());
      if (!key) throw invalidApiKeyError();
      return {
        kind: 'api_key',
        apiKeyId: key.id,
        tenantId: key.tenantId,
        role: key.role,
        name: key.name,
      };
    },
  };
}

export type AuthUsecases = ReturnType<typeof createAuthUsecases>;
