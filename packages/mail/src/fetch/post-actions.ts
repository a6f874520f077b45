/**
 * What happens to a mail on the server after it was ingested: mark it \Seen, or move it to a
 * folder. Both act by UID on the open folder and are idempotent, because the engine retries
 * them after a crash: flagging a seen mail or moving a mail that is already gone succeeds.
 * imapflow answers a refused STORE / MOVE with `false` instead of an error, so a refusal is
 * turned back into a `mail.*` error here (folder_not_found when the destination is missing).
 */
import type { ImapFlow } from 'imapflow';
import { createMailError, type MailPhase } from '../errors/mail-errors';
import { toMailError } from '../errors/to-mail-error';
import { uidSetOf } from './fetch-messages';

const requireOpenFolder = (client: ImapFlow, phase: MailPhase): string => {
  if (client.mailbox === false) {
    throw createMailError(
      'server_error',
      'No folder is open on this connection; open the folder first.',
      {
        phase,
      },
    );
  }
  return client.mailbox.path;
};

const refused = (client: ImapFlow, phase: MailPhase, what: string) =>
  client.usable
    ? createMailError(
        'server_error',
        `The server refused to ${what}. The channel retries on its own; if it keeps happening, check the folder's permissions.`,
        { phase },
      )
    : toMailError(Object.assign(new Error('closed'), { code: 'NoConnection' }), { phase });

export const markSeen = async (client: ImapFlow, uids: readonly number[]): Promise<void> => {
  const set = uidSetOf(uids);
  if (set === '') return;
  const folder = requireOpenFolder(client, 'flags');
  let done: boolean;
  try {
    done = await client.messageFlagsAdd(set, ['\\Seen'], { uid: true, silent: true });
  } catch (error) {
    throw toMailError(error, { phase: 'flags', folder });
  }
  if (!done) throw refused(client, 'flags', `mark messages as seen in "${folder}"`);
};

export interface MoveResult {
  /** Source UID -> UID in the destination, when the server reports it (UIDPLUS). */
  uidMap: Map<number, number>;
}

export const moveMessages = async (
  client: ImapFlow,
  uids: readonly number[],
  destination: string,
): Promise<MoveResult> => {
  const set = uidSetOf(uids);
  if (set === '') return { uidMap: new Map() };
  const folder = requireOpenFolder(client, 'move');
  let result: Awaited<ReturnType<ImapFlow['messageMove']>>;
  try {
    result = await client.messageMove(set, destination, { uid: true });
  } catch (error) {
    throw toMailError(error, { phase: 'move', folder: destination });
  }
  if (result === false) {
    if (client.usable) {
      // Throws NotFound (-> folder_not_found) when the destination does not exist.
      try {
        await client.status(destination, { messages: true });
      } catch (error) {
        throw toMailError(error, { phase: 'move', folder: destination });
      }
    }
    throw refused(client, 'move', `move messages from "${folder}" to "${destination}"`);
  }
  return { uidMap: result.uidMap ?? new Map() };
};
