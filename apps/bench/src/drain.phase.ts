import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Channel, ConfirmChannel } from 'amqplib';
import { benchOrder, publishOrder } from './bench-orders.js';
import { peakRssMb, progress, query, say } from './bench-process.js';
import { fromRoot, POSTGRES_URL, settings } from './bench-settings.js';
import type { ContractNames } from './contract-names.js';
import { type CpuSnapshot, cpuPerOrder, cpuSnapshot } from './cpu-accounting.js';

export interface DrainResult {
  readonly orders: number;
  readonly published: number;
  readonly seconds: number;
  readonly perSecond: number;
  readonly startupSeconds: number;
  readonly cpuMsPerOrder: CpuSnapshot;
  readonly peakRssMb: number;
  readonly databaseConnections: number;
}

/** The backlog: every order once, and one in `duplicateEvery` published a second time. */
export async function publishBacklog(channel: ConfirmChannel, names: ContractNames, tag: string): Promise<number> {
  const unique = settings.orders;
  const published = unique + Math.floor(unique / settings.duplicateEvery);
  const publish = (index: number) =>
    publishOrder(channel, names.INBOUND_EXCHANGE, names.INBOUND_ROUTING_KEY, benchOrder(tag, index));
  for (let index = 0, sent = 0; index < unique; index++) {
    await publish(index);
    if (index % settings.duplicateEvery === 0 && index > 0) {
      await publish(index - 1);
      sent += 1;
    }
    if (++sent % 5000 === 0) progress(`published ${sent}/${published}`);
  }
  await channel.waitForConfirms();
  say(`published a backlog of ${published} orders (${unique} unique) to ${names.INBOUND_EXCHANGE}`);
  return published;
}

export interface RunningService {
  readonly process: ChildProcess;
  readonly started: number;
  /** What its database connections are called (SERVICE_NAME). */
  readonly applicationName: string;
  /** Its count of calculated orders, from GET /orders/stats. */
  readonly calculatedOrders: () => Promise<number>;
}

/** The runtime options production starts the service with (`npm run start:prod`), so the bench measures the same. */
function serviceRuntimeOptions(): string[] {
  const { scripts } = JSON.parse(readFileSync(fromRoot('package.json'), 'utf8')) as { scripts: Record<string, string> };
  return scripts['start:prod'].split(' ').filter((word) => word.startsWith('--'));
}

/**
 * The built service, with its defaults (LOG_LEVEL included), on the bench's names and database;
 * `entry`: another build's, to compare with.
 */
export function startService(
  environment: Record<string, string>,
  baseUrl: string,
  apiKey: string,
  entry = fromRoot('dist/apps/order-service/src/main.js'),
): RunningService {
  const child = spawn(process.execPath, [...serviceRuntimeOptions(), ...settings.serviceNodeArgs, entry], {
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return {
    process: child,
    started: Date.now(),
    applicationName: environment.SERVICE_NAME,
    calculatedOrders: async () => {
      const response = await fetch(`${baseUrl}/orders/stats`, { headers: { 'x-api-key': apiKey } });
      const stats = (await response.json()) as { countsByStatus: Record<string, number> };
      return stats.countsByStatus.CALCULATED ?? 0;
    },
  };
}

/** When the service's consumer appears on the queue (polled; the service must stay up meanwhile). */
export async function consumerAttached(channel: Channel, queue: string, service: ChildProcess): Promise<number> {
  for (;;) {
    if (service.exitCode !== null || service.signalCode !== null) throw new Error('the service exited on start-up');
    if ((await channel.checkQueue(queue)).consumerCount > 0) return Date.now();
    await sleep(20);
  }
}

/**
 * Times the drain from the consumer's attach, as the yardstick times its own (start-up is reported
 * apart), until every order is calculated, in the read table and its OrderCalculated confirmed.
 */
export async function measureDrain(
  channel: Channel,
  names: ContractNames,
  service: RunningService,
  published: number,
): Promise<DrainResult> {
  const orders = settings.orders;
  const attached = await consumerAttached(channel, names.INBOUND_QUEUE, service.process);
  const cpuAtAttach = cpuSnapshot(service.process.pid);
  let databaseConnections = 0;
  for (;;) {
    await sleep(200);
    const [state] = await query<{ connections: number }>(
      `${POSTGRES_URL}/postgres`,
      'SELECT count(*)::int AS connections FROM pg_stat_activity WHERE application_name = $1',
      [service.applicationName],
    );
    databaseConnections = Math.max(databaseConnections, state.connections);
    const confirmed = (await channel.checkQueue(names.EVENTS_QUEUE)).messageCount;
    progress(
      `drain: ${confirmed}/${orders} OrderCalculated on ${names.EVENTS_QUEUE}, ${((Date.now() - attached) / 1000).toFixed(1)} s`,
    );
    if (confirmed < orders) continue;
    if ((await service.calculatedOrders()) === orders) break;
  }
  const seconds = (Date.now() - attached) / 1000;
  const result: DrainResult = {
    orders,
    published,
    seconds,
    perSecond: Math.round(orders / seconds),
    startupSeconds: (attached - service.started) / 1000,
    // Steadier than throughput on a shared machine: what one order costs each process, and in all.
    cpuMsPerOrder: cpuPerOrder(cpuAtAttach, cpuSnapshot(service.process.pid), orders),
    peakRssMb: peakRssMb(service.process.pid),
    databaseConnections,
  };
  say(
    `drain: ${orders} orders in ${seconds.toFixed(1)} s (${result.perSecond}/s) after a ${result.startupSeconds.toFixed(1)} s start-up, peak RSS ${result.peakRssMb} MB, ${databaseConnections} database connections`,
  );
  return result;
}
