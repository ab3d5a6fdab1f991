import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import autocannon from 'autocannon';
import pg from 'pg';
import { declareTopology, topologyOf } from '../../order-service/src/outbound/amqp/amqp-topology.js';
import { benchOrder, publishOrder } from './bench-orders.js';
import { type CpuSnapshot, cpuPerOrder, cpuSnapshot, describeCpu } from './cpu-accounting.js';
import { latencySummary } from './statistics.js';

/*
 * `npm run bench`: the service against the yardstick (../shared/bench/reference-pipeline.js), in one
 * run on this machine, on its own database and queues. Not a test: it measures and reports.
 */

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const API_KEY = 'bench-api-key-0123456789';
const root = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));

const settings = {
  orders: integer('BENCH_ORDERS', 50_000),
  /** One delivery in this many is a republished duplicate. */
  duplicateEvery: integer('BENCH_DUPLICATE_EVERY', 50),
  steadyRate: integer('BENCH_STEADY_RATE', 300),
  steadySeconds: integer('BENCH_STEADY_SECONDS', 30),
  restSeconds: integer('BENCH_REST_SECONDS', 10),
  restConnections: integer('BENCH_REST_CONNECTIONS', 50),
  /** Extra node flags for the service process only, e.g. `--cpu-prof` to see where its time goes. */
  serviceNodeArgs: (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean),
};

/** The runtime options production starts the service with (`npm run start:prod`), so the bench measures the same. */
function serviceRuntimeOptions(): string[] {
  const { scripts } = JSON.parse(readFileSync(root('package.json'), 'utf8')) as { scripts: Record<string, string> };
  return scripts['start:prod'].split(' ').filter((word) => word.startsWith('--'));
}

function integer(variable: string, fallback: number): number {
  const value = Number(process.env[variable] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${variable} must be a positive integer`);
  return value;
}

function progress(line: string): void {
  process.stderr.write(`\r\x1b[2K${line}`);
}

function say(line: string): void {
  process.stderr.write(`\r\x1b[2K${line}\n`);
}

async function query<T>(databaseUrl: string, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, parameters)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Writes the page cache's dirty pages to disk before a phase. A drain leaves a few hundred MB
 * dirty (Postgres, the broker's message store); the kernel writes them back about 30 s later, and
 * while it does, any fsync (a commit, a persistent confirm) waits: a stall of 200–400 ms in
 * whichever phase runs then, measured the same by a bare Postgres commit and a bare broker confirm.
 * Flushing first gives each phase its own disk, the service and the reference alike.
 */
function settle(): void {
  const dirtyMb = () =>
    Math.round(Number(/Dirty:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024);
  const before = dirtyMb();
  const started = Date.now();
  spawnSync('sync');
  say(`settled: ${before} MB of dirty pages written in ${Date.now() - started} ms`);
}

/** Peak resident set of a process so far (Linux VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : Number.NaN;
}

async function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${String(pattern)} within ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('close', (code) => reject(new Error(`exited with ${code} before ${String(pattern)}:\n${output}`)));
  });
}

/** When the service's consumer appears on the queue (polled; the service must stay up meanwhile). */
async function consumerAttached(channel: amqp.Channel, queue: string, service: ChildProcess): Promise<number> {
  for (;;) {
    if (service.exitCode !== null || service.signalCode !== null) throw new Error('the service exited on start-up');
    if ((await channel.checkQueue(queue)).consumerCount > 0) return Date.now();
    await sleep(20);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  // A process ended by a signal has no exit code, only a signal code.
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

interface ReferenceRun {
  readonly perSecond: number;
  /** Where the machine's CPU went per order while the reference drained its backlog. */
  readonly cpuPerOrder: CpuSnapshot;
}

async function reference(mode: 'batch' | 'naive', orders: number): Promise<ReferenceRun> {
  settle();
  progress(`reference pipeline (${mode}), ${orders} orders…`);
  const child = spawn(process.execPath, [root('../shared/bench/reference-pipeline.js'), 'run', mode, String(orders)], {
    env: { ...process.env, NODE_PATH: root('node_modules') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Listening for the exit before reading the output: the pipeline may exit right after printing.
  const exited = once(child, 'exit');
  // It prints "filled" once its backlog is published; its drain (the figure it reports) follows.
  await waitForOutput(child, /filled \d+/, 600_000);
  const before = cpuSnapshot(child.pid);
  const [, perSecond] = await waitForOutput(child, /"perSec":(\d+)/, 600_000);
  const after = cpuSnapshot(child.pid);
  await exited;
  return { perSecond: Number(perSecond), cpuPerOrder: cpuPerOrder(before, after, orders) };
}

function meanOf(first: ReferenceRun, second: ReferenceRun): ReferenceRun {
  const mean = (pick: (run: ReferenceRun) => number) => (pick(first) + pick(second)) / 2;
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

async function restLoad(url: string, ids: string[], headers: Record<string, string>) {
  const run = (duration: number) =>
    autocannon({
      url,
      connections: settings.restConnections,
      duration,
      headers,
      requests: [
        {
          method: 'GET',
          setupRequest: (request) => ({ ...request, path: `/orders/${ids[Math.floor(Math.random() * ids.length)]}` }),
        },
      ],
    });
  await run(2); // warm-up: JIT, pools
  const result = await run(settings.restSeconds);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
  };
}

async function main(): Promise<void> {
  const tag = `bench${randomBytes(4).toString('hex')}`;
  const names = {
    INBOUND_EXCHANGE: `${tag}.orders.inbound`,
    INBOUND_ROUTING_KEY: 'order.placed',
    INBOUND_QUEUE: `${tag}.order-service.order-placed`,
    DEAD_LETTER_EXCHANGE: `${tag}.orders.inbound.dlx`,
    DEAD_LETTER_QUEUE: `${tag}.order-service.order-placed.dlq`,
    EVENTS_EXCHANGE: `${tag}.orders.events`,
    EVENTS_ROUTING_KEY: 'order.calculated',
    EVENTS_QUEUE: `${tag}.order.calculated`,
  };
  const databaseUrl = `${POSTGRES_URL}/${tag}`;
  // Product A's and B's side without Nagle's algorithm (amqplib leaves it on), so that the latency
  // measured is the service's, not the load generator's held-back segments.
  const connection = await amqp.connect(RABBITMQ_URL, { noDelay: true });
  const channel = await connection.createConfirmChannel();
  let service: ChildProcess | undefined;
  let bare: ChildProcess | undefined;
  try {
    await declareTopology(RABBITMQ_URL, topologyOf(names));

    // The yardstick's batch pipeline right before and right after the service's drain: the machine's
    // speed drifts by the minute, and the drain is compared with the mean of the two.
    const unique = settings.orders;
    const batchBefore = await reference('batch', unique);
    settle();

    // a. A backlog, then the service started in front of it.

    const published = unique + Math.floor(unique / settings.duplicateEvery);
    for (let index = 0, sent = 0; index < unique; index++) {
      await publishOrder(channel, names.INBOUND_EXCHANGE, names.INBOUND_ROUTING_KEY, benchOrder(tag, index));
      if (index % settings.duplicateEvery === 0 && index > 0) {
        await publishOrder(channel, names.INBOUND_EXCHANGE, names.INBOUND_ROUTING_KEY, benchOrder(tag, index - 1));
        sent += 1;
      }
      if (++sent % 5000 === 0) progress(`published ${sent}/${published}`);
    }
    await channel.waitForConfirms();
    say(`published a backlog of ${published} orders (${unique} unique) to ${names.INBOUND_EXCHANGE}`);

    const servicePort = await freePort();
    const started = Date.now();
    // The service as configured by default (LOG_LEVEL included), on its own names and database.
    service = spawn(
      process.execPath,
      [...serviceRuntimeOptions(), ...settings.serviceNodeArgs, root('dist/apps/order-service/src/main.js')],
      {
        env: {
          ...process.env,
          ...names,
          DATABASE_URL: databaseUrl,
          HTTP_PORT: String(servicePort),
          // The limiter guards product B's share; the benchmark measures what one replica can serve.
          HTTP_RATE_LIMIT_PER_MINUTE: '0',
          SERVICE_NAME: tag,
          API_KEYS: API_KEY,
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    // The drain is timed from the consumer's attach, as the reference times its own: start-up
    // (database creation, migrations, Nest's boot) is reported apart.
    const attached = await consumerAttached(channel, names.INBOUND_QUEUE, service);
    const startupSeconds = (attached - started) / 1000;
    const cpuAtAttach = cpuSnapshot(service.pid);
    let connectionsUsed = 0;
    for (;;) {
      await sleep(200);
      const [state] = await query<{ connections: number }>(
        `${POSTGRES_URL}/postgres`,
        'SELECT count(*)::int AS connections FROM pg_stat_activity WHERE application_name = $1',
        [tag],
      );
      connectionsUsed = Math.max(connectionsUsed, state.connections);
      const confirmed = (await channel.checkQueue(names.EVENTS_QUEUE)).messageCount;
      progress(
        `drain: ${confirmed}/${unique} OrderCalculated on ${names.EVENTS_QUEUE}, ${((Date.now() - attached) / 1000).toFixed(1)} s`,
      );
      if (confirmed < unique) continue;
      const [model] = await query<{ calculated: number; views: number }>(
        databaseUrl,
        `SELECT (SELECT count(*)::int FROM orders WHERE status = 'CALCULATED') AS calculated,
                (SELECT count(*)::int FROM order_views WHERE status = 'CALCULATED') AS views`,
      );
      if (model.calculated === unique && model.views === unique) break;
    }
    const drainSeconds = (Date.now() - attached) / 1000;
    const drainPerSecond = Math.round(unique / drainSeconds);
    const drainPeakRssMb = peakRssMb(service.pid ?? 0);
    // Steadier than throughput on a shared machine: what one order costs each process, and in all.
    const drainCpu = cpuPerOrder(cpuAtAttach, cpuSnapshot(service.pid), unique);
    say(
      `drain: ${unique} orders in ${drainSeconds.toFixed(1)} s (${drainPerSecond}/s) after a ${startupSeconds.toFixed(1)} s start-up, peak RSS ${drainPeakRssMb} MB, ${connectionsUsed} database connections`,
    );
    await channel.purgeQueue(names.EVENTS_QUEUE);
    const batchAfter = await reference('batch', unique);
    const batchRun = meanOf(batchBefore, batchAfter);
    settle();

    // b. Steady load: product A's publish to product B's receipt.
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const consumer = await connection.createChannel();
    await consumer.consume(
      names.EVENTS_QUEUE,
      (message) => {
        if (!message) return;
        const { externalId } = JSON.parse(message.content.toString()) as { externalId: string };
        const at = sentAt.get(externalId);
        if (at !== undefined) latencies.push(performance.now() - at);
        consumer.ack(message);
      },
      { noAck: false },
    );
    const total = settings.steadyRate * settings.steadySeconds;
    const steadyStart = performance.now();
    for (let index = 0; index < total; index++) {
      const due = steadyStart + (index * 1000) / settings.steadyRate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const order = benchOrder(`${tag}-steady`, index);
      sentAt.set(order.externalId as string, performance.now());
      await publishOrder(channel, names.INBOUND_EXCHANGE, names.INBOUND_ROUTING_KEY, order);
      if (index % settings.steadyRate === 0)
        progress(`steady: ${index}/${total} published at ${settings.steadyRate}/s`);
    }
    const deadline = Date.now() + 30_000;
    while (latencies.length < total && Date.now() < deadline) await sleep(100);
    const steady = {
      rate: settings.steadyRate,
      seconds: settings.steadySeconds,
      received: latencies.length,
      sent: total,
      ...latencySummary(latencies),
    };
    say(
      `steady ${settings.steadyRate}/s: p50 ${steady.p50.toFixed(1)} ms, p99 ${steady.p99.toFixed(1)} ms, max ${steady.max.toFixed(1)} ms (${steady.received}/${total} received)`,
    );

    // c. GET /orders/{id}: the service against a bare node:http + pg endpoint, same ids, same load.
    const ids = (
      await query<{ order_id: string }>(databaseUrl, 'SELECT order_id FROM order_views ORDER BY random() LIMIT 2000')
    ).map((row) => row.order_id);
    settle();
    progress('REST: loading the service…');
    const rest = await restLoad(`http://127.0.0.1:${servicePort}`, ids, { 'x-api-key': API_KEY });
    bare = spawn(process.execPath, [root('dist/apps/bench/src/bare-endpoint.js')], {
      env: { ...process.env, DATABASE_URL: databaseUrl, POOL_SIZE: '10' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const barePort = Number((await waitForOutput(bare, /^(\d+)$/m))[1]);
    progress('REST: loading the bare endpoint…');
    const bareRest = await restLoad(`http://127.0.0.1:${barePort}`, ids, {});
    const servicePeakRssMb = peakRssMb(service.pid ?? 0);
    say(`REST: service ${rest.requestsPerSecond} req/s, bare ${bareRest.requestsPerSecond} req/s`);
    await stop(bare);
    await stop(service);

    // d. The yardstick's naive pipeline, in the same run (its batch pipeline ran around the drain).
    const naiveRun = await reference('naive', unique);
    const referenceBatch = batchRun.perSecond;
    const referenceNaive = naiveRun.perSecond;
    say(`reference: batch ${referenceBatch}/s, naive ${referenceNaive}/s`);

    const results = {
      at: new Date().toISOString(),
      settings,
      drain: {
        orders: unique,
        published,
        seconds: drainSeconds,
        perSecond: drainPerSecond,
        startupSeconds,
        cpuMsPerOrder: drainCpu,
        peakRssMb: drainPeakRssMb,
        databaseConnections: connectionsUsed,
      },
      reference: {
        batchPerSecond: referenceBatch,
        naivePerSecond: referenceNaive,
        batchRuns: [batchBefore, batchAfter],
        batchCpuMsPerOrder: batchRun.cpuPerOrder,
        naiveCpuMsPerOrder: naiveRun.cpuPerOrder,
      },
      steady,
      rest: { service: rest, bare: bareRest, servicePeakRssMb },
      ratios: {
        drainToReferenceBatch: drainPerSecond / referenceBatch,
        drainToReferenceNaive: drainPerSecond / referenceNaive,
        restToBare: rest.requestsPerSecond / bareRest.requestsPerSecond,
      },
    };
    const targets = [
      ['drain ≥ 0.9× reference batch', results.ratios.drainToReferenceBatch >= 0.9],
      ['p99 publish→receipt ≤ 50 ms', steady.p99 <= 50],
      ['GET /orders/{id} ≥ 0.6× bare', results.ratios.restToBare >= 0.6],
      ['peak RSS ≤ 300 MB during the drain', drainPeakRssMb <= 300],
    ] as const;
    mkdirSync(root('bench-results'), { recursive: true });
    const file = root(`bench-results/results-${results.at.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify({ ...results, targets: Object.fromEntries(targets) }, null, 2)}\n`);

    const rows: [string, string][] = [
      [
        'drain (service)',
        `${drainPerSecond} orders/s (${unique} orders, ${drainSeconds.toFixed(1)} s, after ${startupSeconds.toFixed(1)} s of start-up)`,
      ],
      ['CPU per order (drain)', describeCpu(drainCpu, 'service')],
      [
        'reference batch',
        `${referenceBatch} orders/s (mean of ${batchBefore.perSecond} before the drain and ${batchAfter.perSecond} after)`,
      ],
      ['CPU per order (reference batch)', describeCpu(batchRun.cpuPerOrder, 'pipeline')],
      ['reference naive', `${referenceNaive} orders/s`],
      ['drain / reference batch', results.ratios.drainToReferenceBatch.toFixed(2)],
      ['drain / reference naive', results.ratios.drainToReferenceNaive.toFixed(2)],
      [
        `steady ${steady.rate}/s publish→receipt`,
        `p50 ${steady.p50.toFixed(1)} / p95 ${steady.p95.toFixed(1)} / p99 ${steady.p99.toFixed(1)} / max ${steady.max.toFixed(1)} ms`,
      ],
      ['GET /orders/{id} (service)', `${rest.requestsPerSecond} req/s, p50 ${rest.p50Ms} ms, p99 ${rest.p99Ms} ms`],
      [
        'GET /orders/{id} (bare node:http + pg)',
        `${bareRest.requestsPerSecond} req/s, p50 ${bareRest.p50Ms} ms, p99 ${bareRest.p99Ms} ms`,
      ],
      ['REST / bare', results.ratios.restToBare.toFixed(2)],
      ['service peak RSS (drain / after REST)', `${drainPeakRssMb} MB / ${servicePeakRssMb} MB`],
      ['database connections used', String(connectionsUsed)],
      ...targets.map(([target, met]): [string, string] => [`target: ${target}`, met ? 'met' : 'NOT met']),
    ];
    const width = Math.max(...rows.map(([label]) => label.length));
    process.stdout.write(
      `\n${rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n')}\n\nfigures: ${file}\n`,
    );
  } finally {
    if (bare) await stop(bare);
    if (service) await stop(service);
    for (const queue of [names.INBOUND_QUEUE, names.DEAD_LETTER_QUEUE, names.EVENTS_QUEUE])
      await channel.deleteQueue(queue).catch(() => undefined);
    for (const exchange of [names.INBOUND_EXCHANGE, names.DEAD_LETTER_EXCHANGE, names.EVENTS_EXCHANGE])
      await channel.deleteExchange(exchange).catch(() => undefined);
    await connection.close().catch(() => undefined);
    await query(`${POSTGRES_URL}/postgres`, `DROP DATABASE IF EXISTS "${tag}" WITH (FORCE)`).catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`\nbench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
