import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChannelModel, ConfirmChannel } from 'amqplib';
import { progress, say } from './bench-process.js';
import { settings } from './bench-settings.js';
import type { ContractNames } from './contract-names.js';
import type { CalculatedOrder } from './steady.phase.js';
import { latencySummary } from './statistics.js';

type Latencies = ReturnType<typeof latencySummary>;

export interface LifecycleResult {
  readonly rate: number;
  readonly seconds: number;
  readonly payments: number;
  /** Payment published → its OrderPaid received by the events' consumer. */
  readonly paid: Latencies & { readonly received: number };
  /** PUT /orders/{id}/status SHIPPED of every other paid order, request → answer. */
  readonly shipped: Latencies & { readonly answered: number; readonly failed: number };
}

const RECEIPT_TIMEOUT_MS = 30_000;

/**
 * The payment system confirms calculated orders at a steady `rate` while the back office ships
 * every other order as its OrderPaid arrives: the latency from a payment's publish to its OrderPaid,
 * and the REST change's own, on a service that keeps taking both.
 */
export async function measureLifecycle(
  connection: ChannelModel,
  publisher: ConfirmChannel,
  names: ContractNames,
  orders: readonly CalculatedOrder[],
  service: { readonly url: string; readonly apiKey: string },
): Promise<LifecycleResult> {
  const rate = settings.lifecycleRate;
  const total = Math.min(rate * settings.steadySeconds, orders.length);
  const sentAt = new Map<string, number>();
  const paid: number[] = [];
  const shipped: number[] = [];
  let failed = 0;
  const shipments: Promise<void>[] = [];
  const consumer = await connection.createChannel();
  await consumer.consume(
    names.STATUS_EVENTS_QUEUE,
    (message) => {
      if (!message) return;
      const event = JSON.parse(message.content.toString()) as { eventType: string; orderId: string };
      const at = sentAt.get(event.orderId);
      if (event.eventType === 'OrderPaid' && at !== undefined) {
        paid.push(performance.now() - at);
        if (paid.length % 2 === 0) shipments.push(ship(service, event.orderId, shipped).catch(() => void failed++));
      }
      consumer.ack(message);
    },
    { noAck: false },
  );
  const start = performance.now();
  for (let index = 0; index < total; index++) {
    const wait = start + (index * 1000) / rate - performance.now();
    if (wait > 1) await sleep(wait);
    const { orderId, total: amount, currency } = orders[index];
    const payment = {
      paymentId: `PAY-${randomUUID()}`,
      orderId,
      amount,
      currency,
      occurredAt: new Date().toISOString(),
    };
    sentAt.set(orderId, performance.now());
    const accepted = publisher.publish(
      names.PAYMENTS_EXCHANGE,
      names.PAYMENTS_CONFIRMED_ROUTING_KEY,
      Buffer.from(JSON.stringify(payment)),
      { persistent: true, contentType: 'application/json' },
    );
    if (!accepted) await new Promise((resolve) => publisher.once('drain', resolve));
    if (index % rate === 0) progress(`lifecycle: ${index}/${total} payments at ${rate}/s`);
  }
  const deadline = Date.now() + RECEIPT_TIMEOUT_MS;
  while (paid.length < total && Date.now() < deadline) await sleep(100);
  await Promise.all(shipments);
  await consumer.close();
  const result: LifecycleResult = {
    rate,
    seconds: settings.steadySeconds,
    payments: total,
    paid: { received: paid.length, ...latencySummary(paid) },
    shipped: { answered: shipped.length, failed, ...latencySummary(shipped) },
  };
  say(
    `lifecycle ${rate}/s: payment→OrderPaid p50 ${result.paid.p50.toFixed(1)} ms, p99 ${result.paid.p99.toFixed(1)} ms; ` +
      `PUT SHIPPED p50 ${result.shipped.p50.toFixed(1)} ms, p99 ${result.shipped.p99.toFixed(1)} ms`,
  );
  return result;
}

async function ship(service: { url: string; apiKey: string }, orderId: string, latencies: number[]): Promise<void> {
  const started = performance.now();
  const response = await fetch(`${service.url}/orders/${orderId}/status`, {
    method: 'PUT',
    headers: { 'X-API-Key': service.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'SHIPPED', carrier: 'bench' }),
  });
  await response.text();
  if (response.status !== 200) throw new Error(`PUT SHIPPED answered ${response.status}`);
  latencies.push(performance.now() - started);
}
