import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { apiSecretVariables, apiVariables } from '../../src/config/config.schema';

const repoFile = (path: string) =>
  readFile(new URL(`../../../../${path}`, import.meta.url), 'utf8');

describe('the configuration documentation', () => {
  it('lists every API variable in .env.example and docs/configuration.md', async () => {
    const envExample = await repoFile('.env.example');
    const reference = await repoFile('docs/configuration.md');
    for (const name of apiVariables.filter((variable) => variable !== 'NODE_ENV')) {
      expect(envExample, `.env.example lacks ${name}`).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
      expect(reference, `docs/configuration.md lacks ${name}`).toContain(`\`${name}\``);
    }
    for (const name of apiSecretVariables) expect(reference).toContain(`\`${name}_FILE\``);
  });
});
