/**
 * `mailroom start`: the all-in-one process — API, admin app and the
 * ingestion engine on one database, the embedded one by default. Runs until SIGINT/SIGTERM, then closes everything.
 */
import type { CliCommand, CliIo } from '../command';
import { commandLogger, EXIT_OK, guard, loadConfig, parseCommandArgs } from '../cli-support';
import { createIngestionEngine, type CreateIngestionEngine } from '../../runtime/ingestion-engine';
import { serveApi } from '../../runtime/serve';
import { waitForTerminationSignal } from '../signals';

export interface ServeCommandDeps {
  /** Resolves when the process should stop; defaults to the first SIGINT/SIGTERM. */
  waitForStop?: () => Promise<string>;
  createEngine?: CreateIngestionEngine | null;
}

/** The shared body of `start` and `api`: they differ only in the engine. */
export async function runServer(
  io: CliIo,
  command: string,
  deps: { waitForStop: () => Promise<string>; createEngine: CreateIngestionEngine | null },
): Promise<number> {
  // Listen before starting, so a signal during start-up still ends in a clean close.
  const stop = deps.waitForStop();
  const config = loadConfig(io);
  const logger = commandLogger(config, io, command);
  if (command === 'api' && config.databaseUrl === null) {
    logger.warn(
      'no DATABASE_URL: the embedded database cannot be shared with worker processes; `mailroom start` runs everything in one process',
    );
  }
  const running = await serveApi({
    config,
    logger,
    stdout: io.stdout,
    createEngine: deps.createEngine,
  });
  const reason = await stop;
  logger.info({ reason }, 'shutting down');
  await running.close();
  logger.info('stopped');
  return EXIT_OK;
}

export function createStartCommand(deps: ServeCommandDeps = {}): CliCommand {
  const usage = 'mailroom start';
  return {
    name: 'start',
    summary: 'All-in-one: API + admin app + ingestion engine, embedded database by default',
    usage,
    run: (args, io) =>
      guard(io, usage, async () => {
        parseCommandArgs(args, {});
        return runServer(io, 'start', {
          waitForStop: deps.waitForStop ?? waitForTerminationSignal,
          createEngine: deps.createEngine === undefined ? createIngestionEngine : deps.createEngine,
        });
      }),
  };
}

export const startCommand = createStartCommand();
