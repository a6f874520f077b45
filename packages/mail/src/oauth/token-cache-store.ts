/**
 * Where a mailbox's MSAL token cache lives between processes. The stored string is MSAL's own
 * serialization: it holds the account and the latest (rotated) refresh token, so a mailbox
 * keeps working past the refresh token's 90 days. The db layer implements the store with
 * encrypted secrets; this file has the interface, the MSAL plugin and an in-memory store.
 */
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';

export interface TokenCacheStore {
  load(): Promise<string | null>;
  save(cache: string): Promise<void>;
}

/** Loads the store before every MSAL cache read and saves after every change. */
export const cachePluginFor = (store: TokenCacheStore): ICachePlugin => ({
  beforeCacheAccess: async (context: TokenCacheContext) => {
    const cache = await store.load();
    if (cache !== null && cache !== '') context.tokenCache.deserialize(cache);
  },
  afterCacheAccess: async (context: TokenCacheContext) => {
    if (context.cacheHasChanged) await store.save(context.tokenCache.serialize());
  },
});

export interface MemoryTokenCacheStore extends TokenCacheStore {
  /** What was last saved (tests look at it). */
  current(): string | null;
  saves(): number;
}

export const createMemoryTokenCacheStore = (
  initial: string | null = null,
): MemoryTokenCacheStore => {
  let value = initial;
  let count = 0;
  return {
    load: async () => value,
    save: async (cache) => {
      value = cache;
      count += 1;
    },
    current: () => value,
    saves: () => count,
  };
};
