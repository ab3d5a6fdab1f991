import { setTimeout as sleep } from 'node:timers/promises';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { tracedReceipt } from './example-tracing.js';
import { TransientApiError } from './order-api.client.js';

export interface EventQueueSettings {
  readonly url: string;
  /** How the broker's management UI names the connection. */
  readonly connectionName: string;
  readonly queue: string;
  /**
   * Declares the queue (durable) and binds it to the exchange with these keys, idempotently, as the
   * service does. Without it the queue is the service's own, consumed as it was declared.
   */
  readonly binding?: { readonly exchange: string; readonly routingKeys: readonly string[] };
  readonly prefetch: number;
}

export interface ConsumedCounts {
  deliveries: number;
  /** Deliveries of an eventId already handled: acknowledged, not handled again. */
  repeated: number;
  /** Failed attempts to handle a message (the API down): retried with backoff, requeued at a stop. */
  retried: number;
  /** Bodies that are not a message of the queue's kind: rejected, not requeued. */
  unreadable: number;
}

const RETRY_DELAY_MS = 500;
const STOP_GRACE_MS = 15_000;

/**
 * A consumer of one of the service's event queues as the contract asks (sections 2 and 4.3): each
 * message is handled once per eventId (delivery is at least once) and acknowledged only after it
 * was handled; a failure that may pass (the API is restarting) is retried with backoff, any other
 * stops the consumer. The eventIds are kept in memory, enough for an example: a real consumer keeps
 * them with its own data, in the transaction that applies the message.
 */
export class EventQueueConsumer<Message extends { eventId: string }> {
  readonly counts: ConsumedCounts = { deliveries: 0, repeated: 0, retried: 0, unreadable: 0 };
  lastRetryReason: string | null = null;
  private readonly handled = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private consumerTag: string | null = null;
  /** Aborted when stopping has waited long enough for failing messages. */
  private readonly giveUp = new AbortController();

  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: Channel,
    private readonly queue: string,
    private readonly read: (content: Buffer) => Message | null,
    private readonly handle: (message: Message) => Promise<void>,
    private readonly onFatal: (error: Error) => void,
  ) {}

  static async start<Message extends { eventId: string }>(
    settings: EventQueueSettings,
    read: (content: Buffer) => Message | null,
    handle: (message: Message) => Promise<void>,
    onFatal: (error: Error) => void,
  ): Promise<EventQueueConsumer<Message>> {
    // noDelay: amqplib leaves Nagle's algorithm on, which holds small acks back for milliseconds.
    const connection = await amqp.connect(settings.url, {
      noDelay: true,
      clientProperties: { connection_name: settings.connectionName },
    });
    const channel = await connection.createChannel();
    const { queue, binding } = settings;
    if (binding) {
      await channel.assertExchange(binding.exchange, 'topic', { durable: true });
      await channel.assertQueue(queue, { durable: true });
      for (const routingKey of binding.routingKeys) await channel.bindQueue(queue, binding.exchange, routingKey);
    }
    await channel.prefetch(settings.prefetch);
    const consumer = new EventQueueConsumer(connection, channel, queue, read, handle, onFatal);
    const { consumerTag } = await channel.consume(queue, (delivery) => delivery && consumer.receive(delivery));
    consumer.consumerTag = consumerTag;
    return consumer;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Distinct eventIds handled. */
  get handledCount(): number {
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
    const work = tracedReceipt(this.queue, delivery.properties.headers, () => this.settle(delivery))
      .catch((error: unknown) => this.onFatal(error as Error)) // the channel is gone: the broker redelivers
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
  }

  private async settle(delivery: ConsumeMessage): Promise<void> {
    const message = this.readSafely(delivery.content);
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
        await this.handle(message);
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

  private readSafely(content: Buffer): Message | null {
    try {
      return this.read(content);
    } catch {
      return null;
    }
  }
}
