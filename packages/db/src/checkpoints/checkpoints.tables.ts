import { bigint, integer, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { updatedAt } from '../shared/columns';
import { mailboxes } from '../mailboxes/mailboxes.tables';

/** Per-folder sync position: the worker reads `UID lastUid+1:*` while uidvalidity is unchanged. */
export const folderCheckpoints = pgTable(
  'folder_checkpoints',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    mailboxId: uuid('mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    folderPath: text('folder_path').notNull(),
    /** 32-bit unsigned on the wire; bigint so it never overflows a signed int. */
    uidValidity: bigint('uid_validity', { mode: 'bigint' }).notNull(),
    lastUid: bigint('last_uid', { mode: 'number' }).notNull().default(0),
    /** CONDSTORE HIGHESTMODSEQ (63-bit), when the server has it. */
    highestModseq: bigint('highest_modseq', { mode: 'bigint' }),
    initialSyncTotal: integer('initial_sync_total'),
    initialSyncDone: integer('initial_sync_done').notNull().default(0),
    updatedAt: updatedAt(),
  },
  (table) => [
    unique('folder_checkpoints_mailbox_folder_unique').on(table.mailboxId, table.folderPath),
  ],
);
