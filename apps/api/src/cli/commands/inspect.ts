/**
 * `mailroom inspect FILE... [--channel settings.json]`: one JSON line per file with the
 * parsed fields, the classification and the decision, for admins asking "why did this
 * email not become a ticket?". Thin: the work is @mailroom/mail's inspectFiles(). Needs
 * no database and no configuration. Exit 0 when every file was read (quarantined ones
 * included), 1 when a file could not be read, 2 for a usage or channel-file error.
 */
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isMailroomError } from '@mailroom/domain';
import { inspectFiles, loadInspectChannel, type InspectChannel } from '@mailroom/mail';
import type { CliCommand, CliIo } from '../command';
import { EXIT_FAILURE, EXIT_OK, guard, UsageError } from '../cli-support';

const usage = 'mailroom inspect FILE... [--channel settings.json]';

const readChannel = async (path: string, cwd: string): Promise<InspectChannel> => {
  let document: unknown;
  try {
    document = JSON.parse(await readFile(resolve(cwd, path), 'utf8'));
  } catch (error) {
    throw new UsageError(`--channel ${path}: ${(error as Error).message}`);
  }
  try {
    return loadInspectChannel(document);
  } catch (error) {
    if (!isMailroomError(error)) throw error;
    const details = error.issues
      .map((issue) => `  ${issue.path || '(file)'}: ${issue.message}`)
      .join('\n');
    throw new UsageError(`--channel ${path}: ${error.message}${details ? `\n${details}` : ''}`);
  }
};

const writeLine = async (io: CliIo, line: unknown): Promise<void> => {
  if (!io.stdout.write(`${JSON.stringify(line)}\n`)) await once(io.stdout, 'drain');
};

export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary: 'Show how Mailroom reads .eml files: parsed fields, classification and decision',
  usage,
  run: (args, io) =>
    guard(io, usage, async () => {
      let parsed;
      try {
        parsed = parseArgs({
          args,
          options: { channel: { type: 'string' } },
          strict: true,
          allowPositionals: true,
        });
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const files = parsed.positionals;
      if (files.length === 0) throw new UsageError('name at least one email file');
      // `pnpm mailroom` runs from the repository root; INIT_CWD is where the admin typed it.
      const cwd = io.env.INIT_CWD ?? process.cwd();
      const channel =
        parsed.values.channel === undefined
          ? undefined
          : await readChannel(parsed.values.channel, cwd);
      let unreadable = 0;
      for await (const line of inspectFiles(files, channel ? { channel, cwd } : { cwd })) {
        if (line.error) {
          unreadable += 1;
          io.stderr.write(`${line.error.message}\n`);
        }
        await writeLine(io, line);
      }
      return unreadable > 0 ? EXIT_FAILURE : EXIT_OK;
    }),
};
