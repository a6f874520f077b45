/**
 * Column helpers shared by every `*.tables.ts`. drizzle 0.45 has no `bytea`
 * column, and the two drivers disagree on what they hand back for one
 * (postgres.js: Buffer, PGlite: Uint8Array), so this module normalizes to a
 * plain Uint8Array. Enum-like text columns get a CHECK instead of a pg enum
 * type, so adding a value later is a one-line migration.
 */
import { sql, type SQL } from 'drizzle-orm';
import { customType, timestamp, type AnyPgColumn } from 'drizzle-orm/pg-core';

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array | string }>({
  dataType: () => 'bytea',
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
  fromDriver: (value) => {
    if (typeof value === 'string') {
      // Text form `\x0a0b...`, only seen if a driver skips its own bytea parser.
      return new Uint8Array(Buffer.from(value.startsWith('\\x') ? value.slice(2) : value, 'hex'));
    }
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  },
});

/** `timestamptz`, read as a Date. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const createdAt = () => timestamptz('created_at').notNull().defaultNow();
export const updatedAt = () => timestamptz('updated_at').notNull().defaultNow();

/** SQL for `column IN ('a', 'b')`, for CHECK constraints on enum-like text columns. */
export const oneOf = (column: AnyPgColumn, values: readonly string[]): SQL => {
  for (const value of values) {
    if (!/^[a-z0-9_]+$/.test(value)) throw new Error(`not a safe enum literal: ${value}`);
  }
  return sql`${column} in (${sql.raw(values.map((value) => `'${value}'`).join(', '))})`;
};
