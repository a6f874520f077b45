/**
 * What every command needs before it does its work: the validated config (a
 * bad environment is reported once, listing every variable, with exit code
 * 78 as sysexits' EX_CONFIG), a logger on stderr (stdout is for the
 * command's own output), and argument parsing with a usage error.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { createLogger, type Logger } from '../app/logger';
import { ConfigError } from '../config/config-error';
import { loadApiConfig, type ApiConfig } from '../config/load-config';
import type { CliIo } from './command';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_CONFIG = 78;

export class UsageError extends Error {}

/** Throws ConfigError, which guard() reports. */
export const loadConfig = (io: CliIo): ApiConfig => loadApiConfig(io.env, { cwd: process.cwd() });

export const commandLogger = (config: ApiConfig, io: CliIo, command: string): Logger =>
  createLogger({
    level: config.logLevel,
    destination: io.stderr,
    base: { service: 'api', command },
  });

export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Runs a command body and maps the expected failures to exit codes and one message each. */
export async function guard(
  io: CliIo,
  usage: string,
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${error.message}\nUsage: ${usage}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\nSee docs/configuration.md.\n`);
      return EXIT_CONFIG;
    }
    io.stderr.write(`Error: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
}
