import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['@mailroom/testkit/global-setup'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
