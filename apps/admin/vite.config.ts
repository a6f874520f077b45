// Builds the admin app into dist/, which the API serves at `/`. In `pnpm dev` the API
// calls are proxied to a locally running `pnpm mailroom start` (default port 3000).
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const apiTarget = 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [vue()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': apiTarget, '/healthz': apiTarget, '/readyz': apiTarget },
  },
});
