/**
 * Folder listing and selection on an open session. `listFolders` feeds the admin's folder
 * mapping dropdown (path, name, special use, message count); `openFolder` returns what the sync
 * checkpoint needs (UIDVALIDITY, UIDNEXT). Failures leave as `mail.*` errors.
 */
import type { ImapFlow } from 'imapflow';
import { toMailError } from '../errors/to-mail-error';

export interface FolderInfo {
  path: string;
  name: string;
  delimiter: string;
  /** `\Inbox`, `\Sent`, `\Trash`, `\Junk`, `\Drafts`, `\Archive`, `\All`, `\Flagged` or null. */
  specialUse: string | null;
  flags: string[];
  /** False for `\Noselect` / `\NonExistent` containers. */
  selectable: boolean;
  /** From STATUS; null when not asked for or the folder cannot be selected. */
  messages: number | null;
}

export const listFolders = async (
  client: ImapFlow,
  options: { withCounts?: boolean } = {},
): Promise<FolderInfo[]> => {
  try {
    const entries = await client.list(
      options.withCounts ? { statusQuery: { messages: true } } : {},
    );
    return entries
      .map((entry) => {
        const flags = [...entry.flags];
        const selectable = !flags.some((flag) => /^\\(noselect|nonexistent)$/i.test(flag));
        return {
          path: entry.path,
          name: entry.name,
          delimiter: entry.delimiter,
          specialUse: entry.specialUse ?? null,
          flags,
          selectable,
          messages: selectable ? (entry.status?.messages ?? null) : null,
        };
      })
      .sort((a, b) =>
        a.path === 'INBOX' ? -1 : b.path === 'INBOX' ? 1 : a.path.localeCompare(b.path),
      );
  } catch (error) {
    throw toMailError(error, { phase: 'list_folders' });
  }
};

export interface OpenedFolder {
  path: string;
  /** 32-bit per RFC 9051, so a plain number. */
  uidValidity: number;
  uidNext: number;
  exists: number;
  /** CONDSTORE mod-sequence as a decimal string (it may exceed 2^53), or null. */
  highestModseq: string | null;
  readOnly: boolean;
}

/** Selects `path` (EXAMINE with readOnly). Later fetch / flag / move calls act on it. */
export const openFolder = async (
  client: ImapFlow,
  path: string,
  options: { readOnly?: boolean } = {},
): Promise<OpenedFolder> => {
  try {
    const mailbox = await client.mailboxOpen(path, { readOnly: options.readOnly ?? false });
    return {
      path: mailbox.path,
      uidValidity: Number(mailbox.uidValidity),
      uidNext: mailbox.uidNext,
      exists: mailbox.exists,
      highestModseq: mailbox.highestModseq === undefined ? null : mailbox.highestModseq.toString(),
      readOnly: mailbox.readOnly === true,
    };
  } catch (error) {
    throw toMailError(error, { phase: 'open_folder', folder: path });
  }
};
