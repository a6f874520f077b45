/**
 * Dispatches `mailroom <command> [args]` to the command whose (possibly
 * two-word) name matches, and renders `help`. Returns the exit code; only
 * main.ts touches the real process.
 */
import type { CliCommand, CliIo } from './command';
import { EXIT_OK, EXIT_USAGE } from './cli-support';

export function findCommand(
  commands: readonly CliCommand[],
  argv: readonly string[],
): { command: CliCommand; args: string[] } | null {
  // Longest name first, so `user create` wins over a hypothetical `user`.
  const byLength = [...commands].sort(
    (a, b) => b.name.split(' ').length - a.name.split(' ').length,
  );
  for (const command of byLength) {
    const words = command.name.split(' ');
    if (words.every((word, index) => argv[index] === word)) {
      return { command, args: argv.slice(words.length) };
    }
  }
  return null;
}

export function renderHelp(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((command) => command.name.length), 'help'.length);
  const lines = [
    'Usage: pnpm mailroom <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    `  ${'help'.padEnd(width)}  Show this list, or \`help <command>\` for one command's usage`,
    '',
    'Configuration comes from environment variables (see docs/configuration.md).',
    '',
  ];
  return lines.join('\n');
}

export async function run(
  argv: readonly string[],
  io: CliIo,
  commands: readonly CliCommand[],
): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    if (first === 'help' && rest.length > 0) {
      const found = findCommand(commands, rest);
      if (!found) {
        io.stderr.write(`Unknown command "${rest.join(' ')}".\n\n${renderHelp(commands)}`);
        return EXIT_USAGE;
      }
      io.stdout.write(`${found.command.summary}\nUsage: ${found.command.usage}\n`);
      return EXIT_OK;
    }
    io.stdout.write(renderHelp(commands));
    return EXIT_OK;
  }
  const found = findCommand(commands, argv);
  if (!found) {
    io.stderr.write(`Unknown command "${argv.join(' ')}".\n\n${renderHelp(commands)}`);
    return EXIT_USAGE;
  }
  if (found.args.includes('--help') || found.args.includes('-h')) {
    io.stdout.write(`${found.command.summary}\nUsage: ${found.command.usage}\n`);
    return EXIT_OK;
  }
  return found.command.run(found.args, io);
}
