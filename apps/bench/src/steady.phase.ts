import { setTimeout as sleep } from 'node:timers/promises';
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import { benchOrder, publishOrder } from './bench-orders.js';
import { progress, say } from './bench-process.js';
import { settings } from './bench-settings.js';
import type { ContractNames } from './contract-names.js';
import { latencySummary } from './statistics.js';

export interface SteadyResult {
  readonly rate: number;
  readonly seconds: number;
  readonly sent: number;
  readonly received: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

const RECEIPT_TIMEOUT_MS = 30_000;

/** An order as its OrderCalculated message gives it: what the later phases read, pay and change. */
export interface CalculatedOrder {
  readonly orderId: string;
  readonly total: string;
  readonly currency: string;
}

/**
 * Product A publishes at a steady `rate`; product B's consumer notes when each OrderCalculated
 * arrives. `calculated` collects the orders, for the REST and lifecycle phases.
 */
export async function measureSteady(
  connection: ChannelModel,
  publisher: ConfirmChannel,
  names: ContractNames,
  tag: string,
  rate: number,
  calculated: CalculatedOrder[],
): Promise<SteadyResult> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const consumer = await connection.createChannel();
  await consumer.consume(
    names.EVENTS_QUEUE,
    (message) => {
      if (!message) return;
      const { externalId, orderId, total, currency } = JSON.parse(message.content.toString()) as CalculatedOrder & {
        externalId: string;
      };
      const at = sentAt.get(externalId);
      if (at !== undefined) latencies.push(performance.now() - at);
      calculated.push({ orderId, total, currency });
      consumer.ack(message);
    },
    { noAck: false },
  );
  const total = rate * settings.steadySeconds;
  const start = performance.now();
  for (let index = 0; index < total; index++) {
    const wait = start + (index * 1000) / rate - performance.now();
    if (wait > 1) await sleep(wait);
    const order = benchOrder(`${tag}-steady${rate}`, index);
    sentAt.set(order.externalId as string, performance.now());
    await publishOrder(publisher, names.INBOUND_EXCHANGE, names.INBOUND_ROUTING_KEY, order);
    if (index % rate === 0) progress(`steady: ${index}/${total} published at ${rate}/s`);
  }
  const deadline = Date.now() + RECEIPT_TIMEOUT_MS;
  while (latencies.length < total && Date.now() < deadline) await sleep(100);
  await consumer.close();
  const steady = {
    rate,
    seconds: settings.steadySeconds,
    sent: total,
    received: latencies.length,
    ...latencySummary(latencies),
  };
  say(
    `steady ${rate}/s: p50 ${steady.p50.toFixed(1)} ms, p99 ${steady.p99.toFixed(1)} ms, max ${steady.max.toFixed(1)} ms (${steady.received}/${total} received)`,
  );
  return steady;
}
