import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The e2e test builds the app, starts the API on PGlite and drives Chromium.
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
