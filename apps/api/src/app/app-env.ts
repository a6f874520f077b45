/**
 * The typed Hono environment shared by every route: who is calling (resolved
 * once by the auth middleware), the per-request logger and request id.
 */
import type { UserRole } from '@mailroom/domain';
import type { Logger } from './logger';

/** A signed-in user (session cookie) or an API key. */
export type Principal =
  | {
      kind: 'user';
      userId: string;
      tenantId: string;
      role: UserRole;
      email: string;
      name: string;
      sessionId: string;
    }
  | {
      kind: 'api_key';
      apiKeyId: string;
      tenantId: string;
      role: UserRole;
      name: string;
    };

export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    principal: Principal | null;
  };
}
