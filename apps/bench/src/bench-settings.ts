import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';

/** A path from the repository's root, wherever the built bench runs from. */
export const fromRoot = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));

function integer(variable: string, fallback: number): number {
  const value = Number(process.env[variable] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${variable} must be a positive integer`);
  return value;
}

export const settings = {
  orders: integer('BENCH_ORDERS', 50_000),
  /** One delivery in this many is a republished duplicate. */
  duplicateEvery: integer('BENCH_DUPLICATE_EVERY', 50),
  /** The steady phases' rates, orders/s, one phase each. */
  steadyRates: [integer('BENCH_STEADY_RATE', 300), integer('BENCH_FAST_STEADY_RATE', 1000)],
  steadySeconds: integer('BENCH_STEADY_SECONDS', 30),
  /** Payments a second in the lifecycle phase (every other paid order is then shipped over REST). */
  lifecycleRate: integer('BENCH_LIFECYCLE_RATE', 300),
  restSeconds: integer('BENCH_REST_SECONDS', 10),
  restConnections: integer('BENCH_REST_CONNECTIONS', 50),
  /** An external yardstick with the built-in one's command line (`run batch|naive N`), instead of it. */
  reference: process.env.BENCH_REFERENCE || null,
  /** Rounds of the tracing comparison (tracing-cost.ts), run instead of the phases above; 0: none. */
  tracingRounds: process.env.BENCH_TRACING ? integer('BENCH_TRACING', 1) : 0,
  /**
   * Another build's main.js to run against this one in alternating rounds (build-comparison.ts),
   * instead of the phases above; kept relative to this repository, so that the results name no
   * path of the machine.
   */
  compareWith: process.env.BENCH_COMPARE ? relative(fromRoot(''), resolve(process.env.BENCH_COMPARE)) : null,
  compareRounds: integer('BENCH_COMPARE_ROUNDS', 3),
  /** Extra node flags for the service process only, e.g. `--cpu-prof` to see where its time goes. */
  serviceNodeArgs: (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean),
};
