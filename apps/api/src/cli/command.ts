/**
 * The shape of one `pnpm mailroom <command>`. Each command lives in its own
 * file under ./commands and is listed once in ./commands/index.ts. A command
 * parses its own arguments (node:util parseArgs), writes to the given streams
 * and returns its exit code; it never calls process.exit itself.
 */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface CliCommand {
  /** e.g. `inspect`, `user create`. */
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}
