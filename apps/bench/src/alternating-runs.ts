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
import { median, medianInterval } from './statistics.js';
import { measureSteady } from './steady.phase.js';

/*
 * Runs of the service in several modes (environments or builds), in turn: N rounds, each running the
 * drain and the first steady phase once per mode, one service process each, on its own database and
 * queues. Alternating within a round puts the modes under the same minute's machine, each round
 * starting with the next mode, and each round's ratios are taken against its own run of the first
 * mode; the report gives their medians. Traces, when a mode turns them on, go to an OTLP receiver
 * in this process that reads and drops what it is sent.
 */

const API_KEY = 'bench-api-key-0123456789';

export interface ServiceMode {
  readonly name: string;
  readonly environment: (otlpEndpoint: string) => Record<string, string>;
  /** The service's entry; this build's when not given. */
  readonly entry?: string;
}

interface ModeRun {
  readonly mode: string;
  readonly round: number;
  readonly drainPerSecond: number;
  /** The service process's CPU per order. */
  readonly drainCpuMs: number;
  /** All of Postgres's CPU per order in the drain, and the WAL it wrote per order. */
  readonly drainPostgresCpuMs: number;
  readonly drainWalBytesPerOrder: number;
  readonly steadyCpuMs: number;
  /** Transactions committed in the run's database per order of the steady phase: how its orders batched. */
  readonly steadyCommitsPerOrder: number;
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
function modesOfRound(modes: readonly ServiceMode[], round: number): { mode: ServiceMode; index: number }[] {
  return modes.map((_, position) => {
    const index = (position + round - 1) % modes.length;
    return { mode: modes[index], index };
  });
}

/** `rounds` rounds of `modes`; the report and its JSON (bench-results/<label>-<time>.json) are named by `label`. */
export async function compareModes(label: string, modes: readonly ServiceMode[], rounds: number): Promise<void> {
  const tag = `bench${randomBytes(4).toString('hex')}`;
  const sink = await startSink();
  const connection = await amqp.connect(RABBITMQ_URL, { noDelay: true });
  const channel = await connection.createConfirmChannel();
  const runs: ModeRun[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const { mode, index } of modesOfRound(modes, round)) {
        runs.push(await runMode({ connection, channel, sink }, `${tag}r${round}m${index}`, mode, round));
        say(`${label} ${mode.name}, round ${round}: ${JSON.stringify(runs[runs.length - 1])}`);
      }
    }
    const at = new Date().toISOString();
    mkdirSync(fromRoot('bench-results'), { recursive: true });
    const file = fromRoot(`bench-results/${label}-${at.replace(/[:.]/g, '-')}.json`);
    const summary = summaryOf(modes, runs);
    writeFileSync(file, `${JSON.stringify({ at, settings, runs, summary }, null, 2)}\n`);
    process.stdout.write(`\n${summaryTable(label, summary)}\n\nfigures: ${file}\n`);
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
async function runMode({ connection, channel, sink }: Harness, runTag: string, mode: ServiceMode, round: number) {
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
    const walBefore = await walPosition();
    const drain = await measureDrain(channel, names, service, published);
    const walBytes = (await walPosition()) - walBefore;
    await channel.purgeQueue(names.EVENTS_QUEUE);
    const before = cpuSnapshot(service.process.pid);
    const commitsBefore = await commitsOf(runTag);
    const steady = await measureSteady(connection, channel, names, runTag, settings.steadyRates[0], []);
    const steadyCpu = cpuPerOrder(before, cpuSnapshot(service.process.pid), steady.sent);
    const steadyCommits = (await commitsOf(runTag)) - commitsBefore;
    await stop(service.process);
    return {
      mode: mode.name,
      round,
      drainPerSecond: drain.perSecond,
      drainCpuMs: drain.cpuMsPerOrder.process,
      drainPostgresCpuMs: drain.cpuMsPerOrder.postgres,
      drainWalBytesPerOrder: Math.round(walBytes / drain.orders),
      steadyCpuMs: steadyCpu.process,
      steadyCommitsPerOrder: steadyCommits / steady.sent,
      steadyP99Ms: steady.p99,
      exportedBytesPerOrder: Math.round(sink.takeBytes() / (drain.orders + steady.sent)),
    };
  } finally {
    await stop(service.process);
    await query(`${POSTGRES_URL}/postgres`, `DROP DATABASE IF EXISTS "${runTag}" WITH (FORCE)`);
    await deleteContractTopology(channel, names);
  }
}

/**
 * Transactions committed in a database so far, as its statistics have them: a busy backend reports
 * its counts at most once a second, so a phase of several seconds reads them to a few per cent.
 */
async function commitsOf(database: string): Promise<number> {
  const [{ commits }] = await query<{ commits: string }>(
    `${POSTGRES_URL}/postgres`,
    'SELECT xact_commit::text AS commits FROM pg_stat_database WHERE datname = $1',
    [database],
  );
  return Number(commits);
}

/** Where Postgres's write-ahead log has got to, in bytes. */
async function walPosition(): Promise<number> {
  const [{ bytes }] = await query<{ bytes: string }>(
    `${POSTGRES_URL}/postgres`,
    `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS bytes`,
  );
  return Number(bytes);
}

type NumericField = Exclude<keyof ModeRun, 'mode'>;

/** Per mode: the medians of its runs, and of its ratios to the first mode's run of the same round. */
function summaryOf(modes: readonly ServiceMode[], runs: readonly ModeRun[]) {
  const first = new Map(runs.filter(({ mode }) => mode === modes[0].name).map((run) => [run.round, run]));
  return modes.map(({ name }) => {
    const own = runs.filter(({ mode }) => mode === name);
    const medianOf = (field: NumericField) => median(own.map((run) => run[field]));
    const ratios = (field: NumericField) => own.map((run) => run[field] / (first.get(run.round) as ModeRun)[field]);
    const ratio = (field: NumericField) => median(ratios(field));
    return {
      mode: name,
      drainCpuMsPerOrder: medianOf('drainCpuMs'),
      drainCpuRatio: ratio('drainCpuMs'),
      drainCpuRatioInterval: medianInterval(ratios('drainCpuMs')),
      drainPostgresCpuMsPerOrder: medianOf('drainPostgresCpuMs'),
      drainPostgresCpuRatio: ratio('drainPostgresCpuMs'),
      drainWalBytesPerOrder: medianOf('drainWalBytesPerOrder'),
      steadyCpuMsPerOrder: medianOf('steadyCpuMs'),
      steadyCpuRatio: ratio('steadyCpuMs'),
      steadyCpuRatioInterval: medianInterval(ratios('steadyCpuMs')),
      steadyCommitsPerOrder: medianOf('steadyCommitsPerOrder'),
      drainPerSecond: medianOf('drainPerSecond'),
      steadyP99Ms: medianOf('steadyP99Ms'),
      exportedBytesPerOrder: medianOf('exportedBytesPerOrder'),
    };
  });
}

/** A median ratio with the 95 % interval of that median over the rounds: `×1.08, 1.03–1.19`. */
function ratioText(ratio: number, [low, high]: [number, number]): string {
  return `×${ratio.toFixed(2)}, ${low.toFixed(2)}–${high.toFixed(2)}`;
}

function summaryTable(label: string, summary: ReturnType<typeof summaryOf>): string {
  const rows = summary.map(
    (row) =>
      `| ${row.mode} | ${row.drainCpuMsPerOrder.toFixed(3)} (${ratioText(row.drainCpuRatio, row.drainCpuRatioInterval)}) | ` +
      `${row.drainPostgresCpuMsPerOrder.toFixed(3)} (×${row.drainPostgresCpuRatio.toFixed(2)}) | ` +
      `${row.drainWalBytesPerOrder} | ` +
      `${row.steadyCpuMsPerOrder.toFixed(3)} (${ratioText(row.steadyCpuRatio, row.steadyCpuRatioInterval)}) | ` +
      `${row.steadyCommitsPerOrder.toFixed(3)} | ${row.drainPerSecond} | ${row.steadyP99Ms.toFixed(1)} | ` +
      `${row.exportedBytesPerOrder} |`,
  );
  return [
    `| ${label} | drain CPU ms/order (÷ first, 95 % interval) | drain Postgres CPU ms/order (÷ first) | ` +
      'drain WAL B/order | steady CPU ms/order (÷ first, 95 % interval) | steady commits/order | drain orders/s | ' +
      'steady p99 ms | exported B/order |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
