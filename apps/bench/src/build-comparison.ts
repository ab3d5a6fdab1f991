import { compareModes } from './alternating-runs.js';

/*
 * `BENCH_COMPARE=<another build's main.js> npm run bench`: this build against another, tracing off,
 * in BENCH_COMPARE_ROUNDS rounds of alternating runs (alternating-runs.ts), so that a change's cost or
 * gain is read from runs on the same minute's machine. Build the other one in a checkout of its own
 * with its node_modules (`git worktree add`, `npm ci`, `npm run build`).
 */
export const compareBuilds = (rounds: number, otherEntry: string) =>
  compareModes(
    'builds',
    [
      { name: 'this build', environment: () => ({}) },
      { name: 'other build', environment: () => ({}), entry: otherEntry },
    ],
    rounds,
  );
