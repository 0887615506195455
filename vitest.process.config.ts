import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Process-level tests: the real `npm start` (launcher, web server, workers, embedded
// PostgreSQL) stopped every way a person or a service manager stops it, and faults injected
// under load. They need the production build, so `npm test` runs them after building;
// `npm run test:unit` does not include them.
export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      'server-only': path.resolve(import.meta.dirname, 'tests/helpers/server-only.ts'),
    },
  },
  test: {
    include: ['tests/process/**/*.process.ts'],
    pool: 'forks',
    // One launcher at a time: on a 2-core machine parallel launchers only slow each other down.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
    env: { LOG_LEVEL: 'silent' },
  },
});
