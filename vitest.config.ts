import { defineConfig } from 'vitest/config';
import tsconfigPaths from 'vite-tsconfig-paths';

// Unit specs sit beside the code; integration and end-to-end specs live in test/ and talk to the
// real Postgres and RabbitMQ, each run in its own database and with its own queue names.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    // Nest and class-transformer read decorator metadata, as main.ts provides in production.
    setupFiles: ['reflect-metadata'],
    reporters: ['default', './test/support/summary.reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          // Property-based specs run thousands of cases: on a loaded machine 5 s is a speed test.
          testTimeout: 30_000,
          include: [
            'libs/**/*.spec.ts',
            'apps/**/*.spec.ts',
            'test/architecture/**/*.spec.ts',
            'test/deployment/**/*.spec.ts',
            'test/docs/**/*.spec.ts',
          ],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.int-spec.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e-spec.ts'],
          globalSetup: ['test/e2e/build.global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
