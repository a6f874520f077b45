// PGlite cold-starts in seconds and Dovecot scenarios wait on real timers: raised timeouts, one
// PGlite snapshot per run (test/global-setup.ts), files in parallel on the machine's 2 cores.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
