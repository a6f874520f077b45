/** `mailroom key create`: issues an API key and prints it once; only its hash is stored. */
import { createApiKeysRepository, createTenantsRepository } from '@mailroom/db';
import { userRoleSchema } from '@mailroom/domain';
import type { CliCommand } from '../command';
import { EXIT_OK, guard, loadConfig, parseCommandArgs, UsageError } from '../cli-support';
import { openDatabase } from '../../runtime/open-database';
import { createApiKey } from '../../api-keys/api-keys.usecases';

const usage = 'mailroom key create --name <name> [--role admin|agent]  (default role: agent)';

export const keyCreateCommand: CliCommand = {
  name: 'key create',
  summary: 'Create an API key (printed once) for `Authorization: Bearer mr_...`',
  usage,
  run: (args, io) =>
    guard(io, usage, async () => {
      const values = parseCommandArgs(args, { name: { type: 'string' }, role: { type: 'string' } });
      if (!values.name?.trim()) throw new UsageError('--name is required');
      const role = userRoleSchema.safeParse(values.role ?? 'agent');
      if (!role.success) throw new UsageError('--role must be admin or agent');

      const config = loadConfig(io);
      const database = await openDatabase(config);
      try {
        await database.migrate();
        const { apiKey, plaintext } = await createApiKey(
          {
            apiKeys: createApiKeysRepository({ db: database.db }),
            tenants: createTenantsRepository({ db: database.db }),
          },
          { name: values.name, role: role.data },
        );
        io.stdout.write(`Created ${apiKey.role} API key "${apiKey.name}" (id ${apiKey.id}).\n`);
        io.stdout.write(`Key (shown this once; store it now): ${plaintext}\n`);
      } finally {
        await database.close();
      }
      return EXIT_OK;
    }),
};
