import { defineConfig } from 'vitest/config';
import tsconfigPaths from 'vite-tsconfig-paths';

// `npm run test:cluster`: the service on a three-node RabbitMQ cluster and a Postgres primary with a
// synchronous standby, all started (and removed) by the suite on loopback ports; faults hit the real
// engines under load. One scenario at a time: each one loads both cores of a small machine.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    setupFiles: ['reflect-metadata'],
    reporters: [
      'verbose',
      './test/support/summary.reporter.ts',
      ['./test/reliability/support/scenario-summary.reporter.ts', { title: 'cluster scenarios' }],
    ],
    projects: [
      {
        extends: true,
        test: {
          name: 'cluster',
          include: ['test/cluster/**/*.cluster-spec.ts'],
          globalSetup: ['test/e2e/build.global-setup.ts', 'test/cluster/support/cluster.global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        // `npm run bench:cluster`: measurements on the same servers, not part of test:cluster.
        extends: true,
        test: {
          name: 'capacity',
          include: ['test/cluster/**/*.cluster-bench.ts'],
          globalSetup: ['test/e2e/build.global-setup.ts', 'test/cluster/support/cluster.global-setup.ts'],
          testTimeout: 900_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
