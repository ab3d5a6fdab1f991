import { setTimeout as sleep } from 'node:timers/promises';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { DecimalTotals, type OrderApiClient, type OrderCalculatedMessage, TransientApiError } from '@app/simulators';
import { differences } from './order-verification.js';

export interface ConsumerSettings {
  readonly url: string;
  readonly exchange: string;
  readonly routingKey: string;
  /** Product B's own durable queue, declared and bound here (idempotently, as the service does). */
  readonly queue: string;
  readonly prefetch: number;
}

export interface ReceivedCounts {
  deliveries: number;
  /** Deliveries of an eventId already handled: acknowledged, not handled again. */
  repeated: number;
  verified: number;
  mismatched: number;
  /** Failed attempts to handle a message (the API down): retried with backoff, requeued at a stop. */
  retried: number;
  /** Bodies that are not an OrderCalculated message: rejected, not requeued. */
  unreadable: number;
}

/** What product B prints when it stops (`--json`). */
export interface ReceivedSummary extends ReceivedCounts {
  readonly queue: string;
  /** Distinct eventIds handled. */
  readonly orders: number;
  readonly totalsByCurrency: Record<string, string>;
  readonly mismatches: string[];
  readonly lastRetryReason: string | null;
  readonly error: string | null;
}

const RETRY_DELAY_MS = 500;
const STOP_GRACE_MS = 15_000;
const MISMATCHES_KEPT = 20;

/**
 * Product B on the `order.calculated` queue (contract section 2): each message is handled once per
 * eventId (delivery is at least once), checked against the REST API, and acknowledged only after
 * it was handled; a failure that may pass (the API is restarting) is retried with backoff.
 * The eventIds are kept in memory, enough for an example: a real B keeps them with its own data,
 * in the transaction that applies the message.
 */
export class OrderCalculatedConsumer {
  readonly counts: ReceivedCounts = {
    deliveries: 0,
    repeated: 0,
    verified: 0,
    mismatched: 0,
    retried: 0,
    unreadable: 0,
  };
  readonly mismatches: string[] = [];
  readonly totals = new DecimalTotals();
  private readonly handled = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private consumerTag: string | null = null;
  /** Aborted when stopping has waited long enough for failing messages. */
  private readonly giveUp = new AbortController();
  lastRetryReason: string | null = null;

  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: Channel,
    private readonly api: OrderApiClient,
    private readonly onFatal: (error: Error) => void,
  ) {}

  static async start(
    settings: ConsumerSettings,
    api: OrderApiClient,
    onFatal: (error: Error) => void,
  ): Promise<OrderCalculatedConsumer> {
    // noDelay: amqplib leaves Nagle's algorithm on, which holds small acks back for milliseconds.
    const connection = await amqp.connect(settings.url, {
      noDelay: true,
      clientProperties: { connection_name: 'product-b example' },
    });
    const channel = await connection.createChannel();
    await channel.assertExchange(settings.exchange, 'topic', { durable: true });
    await channel.assertQueue(settings.queue, { durable: true });
    await channel.bindQueue(settings.queue, settings.exchange, settings.routingKey);
    await channel.prefetch(settings.prefetch);
    const consumer = new OrderCalculatedConsumer(connection, channel, api, onFatal);
    const { consumerTag } = await channel.consume(settings.queue, (delivery) => delivery && consumer.receive(delivery));
    consumer.consumerTag = consumerTag;
    return consumer;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  get orders(): number {
    return this.handled.size;
  }

  /**
   * Takes no new message and lets the ones in hand finish and be acknowledged, retrying as usual
   * for up to `graceMs`; what is still failing then goes back to the queue. Then disconnects.
   */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (this.consumerTag !== null) await this.channel.cancel(this.consumerTag).catch(() => undefined);
    this.consumerTag = null;
    const timer = setTimeout(() => this.giveUp.abort(), graceMs);
    await Promise.allSettled(this.inFlight);
    clearTimeout(timer);
    // The channel first: its close-ok comes after the broker took every ack sent on it, whereas a
    // connection close can overtake acks still buffered for the channel.
    await this.channel.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }

  private receive(delivery: ConsumeMessage): void {
    this.counts.deliveries++;
    const work = this.settle(delivery)
      .catch((error: unknown) => this.onFatal(error as Error)) // the channel is gone: the broker redelivers
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async settle(delivery: ConsumeMessage): Promise<void> {
    const message = readMessage(delivery.content);
    if (message === null) {
      this.counts.unreadable++;
      return this.channel.nack(delivery, false, false);
    }
    if (this.handled.has(message.eventId)) {
      this.counts.repeated++;
      return this.channel.ack(delivery);
    }
    this.handled.add(message.eventId);
    for (let attempt = 1; ; attempt++) {
      try {
        this.check(message, differences(message, await this.api.order(message.orderId)));
        return this.channel.ack(delivery);
      } catch (error) {
        this.counts.retried++;
        this.lastRetryReason = (error as Error).message;
        const transient = error instanceof TransientApiError;
        if (!transient) this.onFatal(error as Error);
        else await sleep(Math.min(attempt, 5) * RETRY_DELAY_MS, null, { signal: this.giveUp.signal }).catch(() => null);
        if (!transient || this.giveUp.signal.aborted) {
          this.handled.delete(message.eventId);
          return this.channel.nack(delivery, false, true);
        }
      }
    }
  }

  private check(message: OrderCalculatedMessage, found: string[]): void {
    if (found.length === 0) {
      this.counts.verified++;
      if (message.total !== null) this.totals.add(message.currency, message.total);
      return;
    }
    this.counts.mismatched++;
    if (this.mismatches.length < MISMATCHES_KEPT) this.mismatches.push(`${message.externalId}: ${found.join('; ')}`);
  }
}

function readMessage(content: Buffer): OrderCalculatedMessage | null {
  try {
    const message = JSON.parse(content.toString('utf8')) as Partial<OrderCalculatedMessage>;
    return typeof message.eventId === 'string' && typeof message.orderId === 'string' && Array.isArray(message.items)
      ? (message as OrderCalculatedMessage)
      : null;
  } catch {
    return null;
  }
}
