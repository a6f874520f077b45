import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The test CA must be in NODE_EXTRA_CA_CERTS before workers fork; keep pool 'forks'.
    globalSetup: ['./test/global-setup.ts'],
    pool: 'forks',
    // PGlite cold-starts in 2-5 s on a small machine (docs: FACTS.md).
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
