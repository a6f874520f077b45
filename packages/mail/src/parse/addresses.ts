/**
 * Address headers -> `EmailAddress` lists: groups flattened, addresses lower-cased, encoded
 * words decoded in display names only (a name that decodes to "x <ceo@bank>" stays a name).
 * Garbage yields no address rather than an error.
 */
import type { EmailAddress } from '@mailroom/domain';
import { parseAddressHeader } from 'mailparser';

const MAX_ADDRESSES = 500;

export const parseAddresses = (values: readonly string[]): EmailAddress[] => {
  const result: EmailAddress[] = [];
  for (const value of values) {
    if (result.length >= MAX_ADDRESSES) break;
    let parsed: Array<{ name?: string; address?: string }>;
    try {
      parsed = parseAddressHeader(value.slice(0, 64 * 1024), {
        flatten: true,
        decodePunycode: false,
      }).value;
    } catch {
      parsed = [];
    }
    for (const entry of parsed) {
      const address = typeof entry.address === 'string' ? entry.address.trim().toLowerCase() : '';
      const name = typeof entry.name === 'string' ? entry.name.trim() : '';
      if (address.includes('@') || name.length > 0)
        result.push({ address: address.includes('@') ? address : '', name });
    }
  }
  return result;
};

/** The first entry that has an address; else the first entry (address empty); else null. */
export const firstAddress = (values: readonly string[]): EmailAddress | null => {
  const all = parseAddresses(values);
  return all.find((entry) => entry.address.length > 0) ?? all[0] ?? null;
};

/** Addresses only: entries without one (a bare group name, garbage) are dropped. */
export const addressesOnly = (values: readonly string[]): EmailAddress[] =>
  parseAddresses(values).filter((entry) => entry.address.length > 0);
