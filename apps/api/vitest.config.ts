import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // PGlite cold-starts in 2-5 s on a small machine (docs: FACTS.md).
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
