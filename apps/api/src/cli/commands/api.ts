/**
 * `mailroom api`: the HTTP API and admin app without the ingestion engine,
 * for production next to separate `mailroom worker` processes on a shared
 * PostgreSQL (DATABASE_URL).
 */
import type { CliCommand } from '../command';
import { guard, parseCommandArgs } from '../cli-support';
import { waitForTerminationSignal } from '../signals';
import { runServer, type ServeCommandDeps } from './start';

export function createApiCommand(deps: Pick<ServeCommandDeps, 'waitForStop'> = {}): CliCommand {
  const usage = 'mailroom api';
  return {
    name: 'api',
    summary: 'Run only the HTTP API and admin app (production, with DATABASE_URL and workers)',
    usage,
    run: (args, io) =>
      guard(io, usage, async () => {
        parseCommandArgs(args, {});
        return runServer(io, 'api', {
          waitForStop: deps.waitForStop ?? waitForTerminationSignal,
          createEngine: null,
        });
      }),
  };
}

export const apiCommand = createApiCommand();
