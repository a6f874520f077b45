/**
 * Remembers how often one mail (a ledger position) failed to be processed, so
 * a poison mail is quarantined after `poisonAttempts` and the folder moves on.
 * The engine records an attempt BEFORE it processes the first mail after a
 * folder's checkpoint: that is the only mail a crash can have stopped at, so a
 * crash loop is counted too. The store is passed in; the in-memory one is for
 * a single process (a crash forgets it), a persistent one survives restarts.
 */

export interface AttemptPosition {
  mailboxId: string;
  folder: string;
  uidValidity: bigint;
  uid: number;
}

export interface AttemptRecord {
  attempts: number;
  lastError: string | null;
}

export interface AttemptStore {
  get(position: AttemptPosition): Promise<AttemptRecord | null>;
  set(position: AttemptPosition, record: AttemptRecord): Promise<void>;
  clear(position: AttemptPosition): Promise<void>;
}

const keyOf = (position: AttemptPosition): string =>
  `${position.mailboxId}\u0000${position.folder}\u0000${position.uidValidity}\u0000${position.uid}`;

export const createMemoryAttemptStore = (): AttemptStore => {
  const records = new Map<string, AttemptRecord>();
  return {
    get: async (position) => records.get(keyOf(position)) ?? null,
    set: async (position, record) => {
      records.set(keyOf(position), { ...record });
    },
    clear: async (position) => {
      records.delete(keyOf(position));
    },
  };
};
