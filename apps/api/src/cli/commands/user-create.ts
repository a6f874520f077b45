/**
 * `mailroom user create`: adds an admin or agent. The password comes from a
 * file (never from argv, which other users can see in `ps`) or is generated
 * and printed once.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createTenantsRepository, createUsersRepository } from '@mailroom/db';
import { userRoleSchema } from '@mailroom/domain';
import type { CliCommand } from '../command';
import { EXIT_OK, guard, loadConfig, parseCommandArgs, UsageError } from '../cli-support';
import { openDatabase } from '../../runtime/open-database';
import { createUser } from '../../users/users.usecases';

const usage =
  'mailroom user create --email <email> --name <name> --role admin|agent [--password-file <file>]';

export const userCreateCommand: CliCommand = {
  name: 'user create',
  summary: 'Create an admin or agent account (prints a generated password once)',
  usage,
  run: (args, io) =>
    guard(io, usage, async () => {
      const values = parseCommandArgs(args, {
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string' },
        'password-file': { type: 'string' },
      });
      if (!values.email) throw new UsageError('--email is required');
      if (!values.name) throw new UsageError('--name is required');
      const role = userRoleSchema.safeParse(values.role);
      if (!role.success) throw new UsageError('--role must be admin or agent');
      const passwordFile = values['password-file'];
      const password = passwordFile
        ? (await readFile(resolve(process.cwd(), passwordFile), 'utf8')).replace(/\r?\n$/, '')
        : null;

      const config = loadConfig(io);
      const database = await openDatabase(config);
      try {
        await database.migrate();
        const created = await createUser(
          {
            users: createUsersRepository({ db: database.db }),
            tenants: createTenantsRepository({ db: database.db }),
          },
          { email: values.email, name: values.name, role: role.data, password },
        );
        io.stdout.write(
          `Created ${created.user.role} ${created.user.email} (id ${created.user.id}).\n`,
        );
        if (created.passwordGenerated) {
          io.stdout.write(`Password (shown this once; store it now): ${created.password}\n`);
        }
      } finally {
        await database.close();
      }
      return EXIT_OK;
    }),
};
