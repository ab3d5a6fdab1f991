import { mkdirSync, writeFileSync } from 'node:fs';
import { fromRoot } from './bench-settings.js';
import { describeCpu } from './cpu-accounting.js';
import type { DrainResult } from './drain.phase.js';
import type { LifecycleResult } from './lifecycle.phase.js';
import type { RestResult } from './rest.phase.js';
import type { SteadyResult } from './steady.phase.js';
import type { YardstickRun } from './yardstick.phase.js';

export interface BenchResults {
  readonly at: string;
  /** process.version of the service's runtime. */
  readonly runtime: string;
  /** BENCH_REFERENCE, or "built-in". */
  readonly yardstick: string;
  readonly settings: object;
  readonly drain: DrainResult;
  readonly reference: {
    readonly batchPerSecond: number;
    readonly naivePerSecond: number;
    readonly batchRuns: readonly YardstickRun[];
    readonly batchCpuMsPerOrder: YardstickRun['cpuPerOrder'];
    readonly naiveCpuMsPerOrder: YardstickRun['cpuPerOrder'];
  };
  readonly steady: readonly SteadyResult[];
  readonly rest: RestResult & { readonly servicePeakRssMb: number };
  readonly lifecycle: LifecycleResult;
}

/** The p99 publish→receipt target of each steady rate (orders/s), in ms. */
const P99_TARGET_MS: Readonly<Record<number, number>> = { 300: 25, 1000: 50 };
const DEFAULT_P99_TARGET_MS = 50;

function ratios(results: BenchResults) {
  return {
    drainToReferenceBatch: results.drain.perSecond / results.reference.batchPerSecond,
    drainToReferenceNaive: results.drain.perSecond / results.reference.naivePerSecond,
    restToBare: results.rest.service.requestsPerSecond / results.rest.bare.requestsPerSecond,
    /** The service's own CPU per order in the drain over the yardstick pipeline's own, in the same run. */
    cpuToYardstick: results.drain.cpuMsPerOrder.process / results.reference.batchCpuMsPerOrder.process,
  };
}

function targets(results: BenchResults): [string, boolean][] {
  const ratio = ratios(results);
  return [
    ['drain ≥ 0.9× reference batch', ratio.drainToReferenceBatch >= 0.9],
    ['service CPU per order ≤ 1.5× yardstick', ratio.cpuToYardstick <= 1.5],
    ...results.steady.map((steady): [string, boolean] => {
      const target = P99_TARGET_MS[steady.rate] ?? DEFAULT_P99_TARGET_MS;
      return [`p99 publish→receipt at ${steady.rate}/s ≤ ${target} ms`, steady.p99 <= target];
    }),
    ['GET /orders/{id} ≥ 0.85× bare', ratio.restToBare >= 0.85],
    ['peak RSS ≤ 250 MB during the drain', results.drain.peakRssMb <= 250],
  ];
}

/** The figures as JSON in bench-results/ (ignored by git; the ones the documents quote go to docs/benchmarks/). */
export function writeResults(results: BenchResults): string {
  mkdirSync(fromRoot('bench-results'), { recursive: true });
  const file = fromRoot(`bench-results/results-${results.at.replace(/[:.]/g, '-')}.json`);
  const document = { ...results, ratios: ratios(results), targets: Object.fromEntries(targets(results)) };
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}

function latencyText(latency: { p50: number; p95: number; p99: number; max: number }, count: string): string {
  const { p50, p95, p99, max } = latency;
  return `p50 ${p50.toFixed(1)} / p95 ${p95.toFixed(1)} / p99 ${p99.toFixed(1)} / max ${max.toFixed(1)} ms (${count})`;
}

export function resultsTable(results: BenchResults): string {
  const { drain, reference, rest } = results;
  const ratio = ratios(results);
  const [before, after] = reference.batchRuns;
  const rows: [string, string][] = [
    ['runtime (service)', `Node.js ${results.runtime}`],
    ['yardstick', results.yardstick],
    [
      'drain (service)',
      `${drain.perSecond} orders/s (${drain.orders} orders, ${drain.seconds.toFixed(1)} s, after ${drain.startupSeconds.toFixed(1)} s of start-up)`,
    ],
    ['CPU per order (drain)', describeCpu(drain.cpuMsPerOrder, 'service')],
    [
      'yardstick batch',
      `${reference.batchPerSecond} orders/s (mean of ${before.perSecond} before the drain and ${after.perSecond} after)`,
    ],
    ['CPU per order (yardstick batch)', describeCpu(reference.batchCpuMsPerOrder, 'pipeline')],
    ['yardstick naive', `${reference.naivePerSecond} orders/s`],
    ['drain / yardstick batch', ratio.drainToReferenceBatch.toFixed(2)],
    ['drain / yardstick naive', ratio.drainToReferenceNaive.toFixed(2)],
    ['service CPU per order / yardstick pipeline', ratio.cpuToYardstick.toFixed(2)],
    ...results.steady.map((steady): [string, string] => [
      `steady ${steady.rate}/s publish→receipt`,
      latencyText(steady, `${steady.received}/${steady.sent} received`),
    ]),
    [
      'GET /orders/{id} (service)',
      `${rest.service.requestsPerSecond} req/s, p50 ${rest.service.p50Ms} ms, p99 ${rest.service.p99Ms} ms`,
    ],
    [
      'GET /orders/{id} (bare node:http + pg)',
      `${rest.bare.requestsPerSecond} req/s, p50 ${rest.bare.p50Ms} ms, p99 ${rest.bare.p99Ms} ms`,
    ],
    ['CPU per request (service)', describeCpu(rest.service.cpuMsPerRequest, 'service')],
    ['CPU per request (bare)', describeCpu(rest.bare.cpuMsPerRequest, 'bare')],
    ['REST / bare', ratio.restToBare.toFixed(2)],
    [
      `lifecycle ${results.lifecycle.rate}/s payment→OrderPaid`,
      latencyText(results.lifecycle.paid, `${results.lifecycle.paid.received}/${results.lifecycle.payments} received`),
    ],
    [
      'lifecycle PUT …/status SHIPPED',
      latencyText(
        results.lifecycle.shipped,
        `${results.lifecycle.shipped.answered} answered 200, ${results.lifecycle.shipped.failed} failed`,
      ),
    ],
    ['service peak RSS (drain / after REST)', `${drain.peakRssMb} MB / ${rest.servicePeakRssMb} MB`],
    ['database connections used', String(drain.databaseConnections)],
    ...targets(results).map(([target, met]): [string, string] => [`target: ${target}`, met ? 'met' : 'NOT met']),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}
