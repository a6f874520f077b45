/**
 * Entry point of `pnpm mailroom <command>`: hands the real argv, streams and
 * environment to run() and sets the exit code. An unhandled rejection is a
 * bug: it is printed and the process exits non-zero, never swallowed.
 */
import { run } from './run';
import { commands } from './commands/index';

process.on('unhandledRejection', (reason) => {
  process.stderr.write(
    `Unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`,
  );
  process.exit(70);
});

const code = await run(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr, env: process.env },
  commands,
);
process.exitCode = code;
