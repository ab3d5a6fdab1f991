import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { settle, progress, waitForOutput } from './bench-process.js';
import { fromRoot, settings } from './bench-settings.js';
import { type CpuSnapshot, cpuPerOrder, cpuSnapshot } from './cpu-accounting.js';

export interface YardstickRun {
  readonly perSecond: number;
  /** Where the machine's CPU went per order while the yardstick drained its backlog. */
  readonly cpuPerOrder: CpuSnapshot;
}

export interface YardstickTarget {
  /** An existing database of its own, for its tables. */
  readonly databaseUrl: string;
  /** Its queues' names start with this. */
  readonly queuePrefix: string;
}

/** The script run as the yardstick: BENCH_REFERENCE when given, else the bench's own pipeline. */
export function yardstickScript(): string {
  return settings.reference ?? fromRoot('dist/apps/bench/src/yardstick/main.js');
}

/**
 * Runs `<script> run batch|naive N`. The protocol: "filled N" (stdout or stderr) once its backlog is
 * published, then a JSON line with "perSec" for the drain it timed. An external script finds amqplib
 * and pg in this project's node_modules.
 */
export async function runYardstick(
  mode: 'batch' | 'naive',
  orders: number,
  target: YardstickTarget,
): Promise<YardstickRun> {
  settle();
  progress(`yardstick (${mode}), ${orders} orders…`);
  const child = spawn(process.execPath, [yardstickScript(), 'run', mode, String(orders)], {
    env: {
      ...process.env,
      NODE_PATH: fromRoot('node_modules'),
      PGURL: target.databaseUrl,
      YARDSTICK_QUEUE_PREFIX: target.queuePrefix,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Listening for the exit before reading the output: the pipeline may exit right after printing.
  const exited = once(child, 'exit');
  await waitForOutput(child, /filled \d+/, 600_000);
  const before = cpuSnapshot(child.pid);
  const [, perSecond] = await waitForOutput(child, /"perSec":(\d+)/, 600_000);
  const after = cpuSnapshot(child.pid);
  const [code] = (await exited) as [number | null];
  if (code !== 0) throw new Error(`the yardstick exited with ${code}`);
  return { perSecond: Number(perSecond), cpuPerOrder: cpuPerOrder(before, after, orders) };
}

export function meanOf(first: YardstickRun, second: YardstickRun): YardstickRun {
  const mean = (pick: (run: YardstickRun) => number) => (pick(first) + pick(second)) / 2;
  return {
    perSecond: Math.round(mean((run) => run.perSecond)),
    cpuPerOrder: {
      process: mean((run) => run.cpuPerOrder.process),
      postgres: mean((run) => run.cpuPerOrder.postgres),
      rabbitmq: mean((run) => run.cpuPerOrder.rabbitmq),
      machine: mean((run) => run.cpuPerOrder.machine),
    },
  };
}
