import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { freePort, query, say, settle, stop } from './bench-process.js';
import { fromRoot, POSTGRES_URL, RABBITMQ_URL, settings } from './bench-settings.js';
import { contractNames, declareProductsSide, deleteContractTopology } from './contract-names.js';
import { cpuPerOrder, cpuSnapshot } from './cpu-accounting.js';
import { measureDrain, publishBacklog, startService } from './drain.phase.js';
import { measureSteady } from './steady.phase.js';

/*
 * `BENCH_TRACING=N npm run bench`: what tracing costs the service. N rounds, each running the drain
 * and the first steady phase four times, one service process each, in turn: tracing off, on at
 * 100 %, on at 10 % (parentbased_traceidratio) and on with nothing sampled (always_off), exporting
 * OTLP (http/protobuf, the default) to a receiver in this process that reads and drops what it is
 * sent. Alternating within a round puts the modes under the same minute's machine, each round
 * starting with the next mode, and each round's ratios are taken against its own "off" run; the
 * report gives their medians. BENCH_TRACING_BASELINE=<another build's main.js> adds a fifth run
 * each round, of that build (the release before tracing), to hold "off" against.
 */

const API_KEY = 'bench-api-key-0123456789';

interface TracingMode {
  readonly name: string;
  readonly environment: (endpoint: string) => Record<string, string>;
  /** The service's entry; this build's when not given. */
  readonly entry?: string;
}

const BASELINE = process.env.BENCH_TRACING_BASELINE;

const MODES: readonly TracingMode[] = [
  { name: 'off', environment: () => ({}) },
  { name: 'on, 100 %', environment: (endpoint) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }) },
  {
    name: 'on, 10 %',
    environment: (endpoint) => ({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    }),
  },
  // Everything a trace costs for every order (SDK, instrumentations, the carrier in the outbox and
  // the headers), with nothing recorded: the rest of "on, 10 %" is the price of what it records.
  {
    name: 'on, none sampled',
    environment: (endpoint) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER: 'always_off' }),
  },
  ...(BASELINE ? [{ name: 'baseline build', environment: () => ({}), entry: BASELINE }] : []),
];

interface TracingRun {
  readonly mode: string;
  readonly round: number;
  readonly drainPerSecond: number;
  /** The service process's CPU per order. */
  readonly drainCpuMs: number;
  readonly steadyCpuMs: number;
  readonly steadyP99Ms: number;
  readonly exportedBytesPerOrder: number;
}

type Sink = Awaited<ReturnType<typeof startSink>>;

/** Counts what the exporters send and answers as a collector does. */
async function startSink() {
  let bytes = 0;
  const server = createServer((request, response) => {
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => response.writeHead(200).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** What came since the last call. */
    takeBytes: () => {
      const taken = bytes;
      bytes = 0;
      return taken;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * The modes of a round in turn, each round starting one later: a run's place in its round (what
 * ran before it on the machine) weighs on every mode alike over the rounds.
 */
function modesOfRound(round: number): { mode: TracingMode; index: number }[] {
  return MODES.map((_, position) => {
    const index = (position + round - 1) % MODES.length;
    return { mode: MODES[index], index };
  });
}

export async function compareTracing(rounds: number): Promise<void> {
  const tag = `bench${randomBytes(4).toString('hex')}`;
  const sink = await startSink();
  const connection = await amqp.connect(RABBITMQ_URL, { noDelay: true });
  const channel = await connection.createConfirmChannel();
  const runs: TracingRun[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const { mode, index } of modesOfRound(round)) {
        runs.push(await runMode({ connection, channel, sink }, `${tag}r${round}m${index}`, mode, round));
        say(`tracing ${mode.name}, round ${round}: ${JSON.stringify(runs[runs.length - 1])}`);
      }
    }
    const at = new Date().toISOString();
    mkdirSync(fromRoot('bench-results'), { recursive: true });
    const file = fromRoot(`bench-results/tracing-${at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify({ at, settings, runs, summary: summaryOf(runs) }, null, 2)}\n`);
    process.stdout.write(`\n${summaryTable(runs)}\n\nfigures: ${file}\n`);
  } finally {
    await connection.close().catch(() => undefined);
    await sink.close();
  }
}

interface Harness {
  readonly connection: ChannelModel;
  readonly channel: ConfirmChannel;
  readonly sink: Sink;
}

/**
 * One service process in one mode: a drain, then the first steady phase. Queues and database are
 * the run's own, so no run inherits another's queue or table state.
 */
async function runMode({ connection, channel, sink }: Harness, runTag: string, mode: TracingMode, round: number) {
  const names = contractNames(runTag);
  await declareProductsSide(channel, names);
  settle();
  const published = await publishBacklog(channel, names, runTag);
  const port = await freePort();
  const service = startService(
    {
      ...names,
      DATABASE_URL: `${POSTGRES_URL}/${runTag}`,
      HTTP_PORT: String(port),
      MANAGEMENT_PORT: '0',
      HTTP_RATE_LIMIT_PER_MINUTE: '0',
      SERVICE_NAME: runTag,
      API_KEYS: API_KEY,
      ...mode.environment(sink.endpoint),
    },
    `http://127.0.0.1:${port}`,
    API_KEY,
    mode.entry,
  );
  try {
    sink.takeBytes();
    const drain = await measureDrain(channel, names, service, published);
    await channel.purgeQueue(names.EVENTS_QUEUE);
    const before = cpuSnapshot(service.process.pid);
    const steady = await measureSteady(connection, channel, names, runTag, settings.steadyRates[0], []);
    const steadyCpu = cpuPerOrder(before, cpuSnapshot(service.process.pid), steady.sent);
    await stop(service.process);
    return {
      mode: mode.name,
      round,
      drainPerSecond: drain.perSecond,
      drainCpuMs: drain.cpuMsPerOrder.process,
      steadyCpuMs: steadyCpu.process,
      steadyP99Ms: steady.p99,
      exportedBytesPerOrder: Math.round(sink.takeBytes() / (drain.orders + steady.sent)),
    };
  } finally {
    await stop(service.process);
    await query(`${POSTGRES_URL}/postgres`, `DROP DATABASE IF EXISTS "${runTag}" WITH (FORCE)`);
    await deleteContractTopology(channel, names);
  }
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** Per mode: the medians of its runs, and of its ratios to the "off" run of the same round. */
function summaryOf(runs: readonly TracingRun[]) {
  const off = new Map(runs.filter(({ mode }) => mode === MODES[0].name).map((run) => [run.round, run]));
  return MODES.map(({ name }) => {
    const own = runs.filter(({ mode }) => mode === name);
    const ratio = (field: 'drainCpuMs' | 'steadyCpuMs') =>
      median(own.map((run) => run[field] / (off.get(run.round) as TracingRun)[field]));
    return {
      mode: name,
      drainCpuMsPerOrder: median(own.map((run) => run.drainCpuMs)),
      drainCpuRatio: ratio('drainCpuMs'),
      steadyCpuMsPerOrder: median(own.map((run) => run.steadyCpuMs)),
      steadyCpuRatio: ratio('steadyCpuMs'),
      drainPerSecond: median(own.map((run) => run.drainPerSecond)),
      steadyP99Ms: median(own.map((run) => run.steadyP99Ms)),
      exportedBytesPerOrder: median(own.map((run) => run.exportedBytesPerOrder)),
    };
  });
}

function summaryTable(runs: readonly TracingRun[]): string {
  const rows = summaryOf(runs).map(
    (row) =>
      `| ${row.mode} | ${row.drainCpuMsPerOrder.toFixed(3)} (×${row.drainCpuRatio.toFixed(2)}) | ` +
      `${row.steadyCpuMsPerOrder.toFixed(3)} (×${row.steadyCpuRatio.toFixed(2)}) | ${row.drainPerSecond} | ` +
      `${row.steadyP99Ms.toFixed(1)} | ${row.exportedBytesPerOrder} |`,
  );
  return [
    '| tracing | drain CPU ms/order (÷ off) | steady CPU ms/order (÷ off) | drain orders/s | steady p99 ms | exported B/order |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
