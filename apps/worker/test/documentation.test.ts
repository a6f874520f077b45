import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { workerEnvSchema, workerSecretVariables } from '../src/config';

const repoFile = (path: string) => readFile(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('the configuration documentation', () => {
  it('lists every worker variable in .env.example and docs/configuration.md', async () => {
    const envExample = await repoFile('.env.example');
    const reference = await repoFile('docs/configuration.md');
    const names = Object.keys(workerEnvSchema.shape).filter((name) => name !== 'NODE_ENV');
    expect(names).toContain('MAILROOM_WORKER_HEALTH_PORT');
    for (const name of names) {
      expect(envExample, `.env.example lacks ${name}`).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
      expect(reference, `docs/configuration.md lacks ${name}`).toContain(`\`${name}\``);
    }
    for (const name of workerSecretVariables) expect(reference).toContain(`\`${name}_FILE\``);
  });
});
