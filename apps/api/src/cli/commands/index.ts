/** Every `mailroom` command, in the order `mailroom help` lists them. One line per command file. */
import type { CliCommand } from '../command';
import { apiCommand } from './api';
import { inspectCommand } from './inspect';
import { keyCreateCommand } from './key-create';
import { migrateCommand } from './migrate';
import { startCommand } from './start';
import { testConnectionCommand } from './test-connection';
import { userCreateCommand } from './user-create';
import { workerCommand } from './worker';

export const commands: CliCommand[] = [
  startCommand,
  apiCommand,
  workerCommand,
  migrateCommand,
  userCreateCommand,
  keyCreateCommand,
  testConnectionCommand,
  inspectCommand,
];
export { testConnectionCommand } from './test-connection';
