import { defineConfig } from 'vitest/config';
import tsconfigPaths from 'vite-tsconfig-paths';

// `npm run test:reliability`: real service processes, real faults, one scenario file at a time (each
// runs its own processes, database and queues, and the timings of one should not starve another).
// Kept out of vitest.config.ts, so `npm test` does not run it.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    setupFiles: ['reflect-metadata'],
    reporters: [
      'verbose',
      './test/support/summary.reporter.ts',
      './test/reliability/support/scenario-summary.reporter.ts',
    ],
    projects: [
      {
        extends: true,
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.reliability-spec.ts'],
          globalSetup: ['test/e2e/build.global-setup.ts'],
          testTimeout: 240_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
