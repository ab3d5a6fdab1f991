import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { type BenchResults, resultsTable, writeResults } from './bench-report.js';
import { freePort, peakRssMb, query, say, settle, stop } from './bench-process.js';
import { fromRoot, POSTGRES_URL, RABBITMQ_URL, settings } from './bench-settings.js';
import { contractNames, declareProductsSide, deleteContractTopology } from './contract-names.js';
import { measureDrain, publishBacklog, type RunningService, startService } from './drain.phase.js';
import { measureRest } from './rest.phase.js';
import { measureLifecycle } from './lifecycle.phase.js';
import { type CalculatedOrder, measureSteady, type SteadyResult } from './steady.phase.js';
import { compareBuilds } from './build-comparison.js';
import { compareTracing } from './tracing-cost.js';
import { meanOf, runYardstick, yardstickScript } from './yardstick.phase.js';

/*
 * `npm run bench`: the built service against its yardstick, in one run on this machine, on a
 * database and queues of its own; the service is used only through its contract and its built
 * entry. Not a test: it measures and reports. Phases: the yardstick's batch pipeline, the service's
 * drain of a backlog, the yardstick again, steady publish→receipt latency at each rate, REST
 * against a bare endpoint, payments and shipments at a steady rate, the yardstick's naive pipeline.
 */

const API_KEY = 'bench-api-key-0123456789';
const REST_SAMPLE = 2000;

/** process.version of the runtime that runs the service (the same executable as the bench). */
function serviceRuntime(): string {
  return execFileSync(process.execPath, ['-p', 'process.version']).toString().trim();
}

function sample<T>(items: readonly T[], size: number): T[] {
  return Array.from({ length: Math.min(size, items.length) }, () => items[Math.floor(Math.random() * items.length)]);
}

async function main(): Promise<void> {
  const tag = `bench${randomBytes(4).toString('hex')}`;
  const names = contractNames(tag);
  const databaseUrl = `${POSTGRES_URL}/${tag}`;
  const yardstickDatabase = `${tag}_yardstick`;
  const yardstick = { databaseUrl: `${POSTGRES_URL}/${yardstickDatabase}`, queuePrefix: `${tag}.yardstick` };
  // Product A's and B's side without Nagle's algorithm (amqplib leaves it on), so that the latency
  // measured is the service's, not the load generator's held-back segments.
  const connection = await amqp.connect(RABBITMQ_URL, { noDelay: true });
  const channel = await connection.createConfirmChannel();
  let service: RunningService | undefined;
  try {
    await query(`${POSTGRES_URL}/postgres`, `CREATE DATABASE "${yardstickDatabase}"`);
    await declareProductsSide(channel, names);

    // The yardstick's batch pipeline right before and right after the service's drain: the
    // machine's speed drifts by the minute, and the drain is compared with the mean of the two.
    const batchBefore = await runYardstick('batch', settings.orders, yardstick);
    settle();
    const published = await publishBacklog(channel, names, tag);
    const servicePort = await freePort();
    const serviceUrl = `http://127.0.0.1:${servicePort}`;
    service = startService(
      {
        ...names,
        DATABASE_URL: databaseUrl,
        HTTP_PORT: String(servicePort),
        MANAGEMENT_PORT: '0',
        // The limiter guards product B's share; the benchmark measures what one replica can serve.
        HTTP_RATE_LIMIT_PER_MINUTE: '0',
        SERVICE_NAME: tag,
        API_KEYS: API_KEY,
      },
      serviceUrl,
      API_KEY,
    );
    const drain = await measureDrain(channel, names, service, published);
    await channel.purgeQueue(names.EVENTS_QUEUE);
    const batchAfter = await runYardstick('batch', settings.orders, yardstick);

    const calculated: CalculatedOrder[] = [];
    const steady: SteadyResult[] = [];
    for (const rate of settings.steadyRates) {
      settle();
      steady.push(await measureSteady(connection, channel, names, tag, rate, calculated));
    }

    const orderIds = calculated.map(({ orderId }) => orderId);
    const rest = await measureRest(
      serviceUrl,
      service.process.pid,
      API_KEY,
      databaseUrl,
      sample(orderIds, REST_SAMPLE),
    );
    settle();
    const lifecycle = await measureLifecycle(connection, channel, names, calculated, {
      url: serviceUrl,
      apiKey: API_KEY,
    });
    const servicePeakRssMb = peakRssMb(service.process.pid);
    await stop(service.process);

    const naive = await runYardstick('naive', settings.orders, yardstick);
    const batch = meanOf(batchBefore, batchAfter);
    say(`yardstick: batch ${batch.perSecond}/s, naive ${naive.perSecond}/s`);

    const results: BenchResults = {
      at: new Date().toISOString(),
      runtime: serviceRuntime(),
      yardstick: settings.reference ? yardstickScript() : 'built-in (apps/bench/src/yardstick)',
      settings,
      drain,
      reference: {
        batchPerSecond: batch.perSecond,
        naivePerSecond: naive.perSecond,
        batchRuns: [batchBefore, batchAfter],
        batchCpuMsPerOrder: batch.cpuPerOrder,
        naiveCpuMsPerOrder: naive.cpuPerOrder,
      },
      steady,
      rest: { ...rest, servicePeakRssMb },
      lifecycle,
    };
    const file = writeResults(results);
    process.stdout.write(`\n${resultsTable(results)}\n\nfigures: ${file}\n`);
  } finally {
    if (service) await stop(service.process);
    await deleteContractTopology(channel, names);
    await connection.close().catch(() => undefined);
    for (const database of [tag, yardstickDatabase])
      await query(`${POSTGRES_URL}/postgres`, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`).catch(
        () => undefined,
      );
  }
}

function chosenRun(): Promise<void> {
  if (settings.tracingRounds > 0) return compareTracing(settings.tracingRounds);
  if (settings.compareWith) return compareBuilds(settings.compareRounds, fromRoot(settings.compareWith));
  return main();
}

chosenRun().catch((error: unknown) => {
  process.stderr.write(`\nbench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
