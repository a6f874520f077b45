/** `mailroom migrate`: applies pending migrations and exits; safe to run any number of times. */
import type { CliCommand } from '../command';
import { EXIT_OK, guard, loadConfig, parseCommandArgs } from '../cli-support';
import { describeDatabase, openDatabase } from '../../runtime/open-database';

const usage = 'mailroom migrate';

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'Apply pending database migrations',
  usage,
  run: (args, io) =>
    guard(io, usage, async () => {
      parseCommandArgs(args, {});
      const config = loadConfig(io);
      const database = await openDatabase(config);
      try {
        await database.migrate();
      } finally {
        await database.close();
      }
      io.stdout.write(`Migrations applied to ${describeDatabase(config)}.\n`);
      return EXIT_OK;
    }),
};
