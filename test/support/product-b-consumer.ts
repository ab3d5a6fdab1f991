import type { OrderCalculatedMessage, OrderStatusChangedMessage } from '@app/simulators';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { RABBITMQ_URL } from './test-broker.js';

export type { OrderCalculatedMessage, OrderStatusChangedMessage };

export interface Handled<M = OrderCalculatedMessage> {
  readonly message: M;
  readonly delivery: ConsumeMessage;
}

/**
 * Plays product B on the `order.calculated` (or `order.status-changed`) queue as the contract asks
 * it to: handle each message, deduplicate on eventId, ack only after handling.
 */
export class ProductBConsumer<M extends { eventId: string } = OrderCalculatedMessage> {
  readonly handled = new Map<string, Handled<M>>();
  /** Deliveries of an eventId already handled: the at-least-once repeats that deduplication absorbs. */
  readonly repeats: ConsumeMessage[] = [];
  deliveries = 0;

  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: Channel,
  ) {}

  static async start<M extends { eventId: string } = OrderCalculatedMessage>(
    queue: string,
    handle: (message: M) => Promise<void>,
    url = RABBITMQ_URL,
  ): Promise<ProductBConsumer<M>> {
    const connection = await amqp.connect(url);
    const channel = await connection.createChannel();
    await channel.prefetch(20);
    const consumer = new ProductBConsumer<M>(connection, channel);
    await channel.consume(queue, (delivery) => {
      if (!delivery) return;
      consumer.deliveries += 1;
      const message = JSON.parse(delivery.content.toString()) as M;
      const repeated = consumer.handled.has(message.eventId);
      if (repeated) consumer.repeats.push(delivery);
      const settle = repeated
        ? Promise.resolve()
        : handle(message).then(() => void consumer.handled.set(message.eventId, { message, delivery }));
      void settle.then(
        () => channel.ack(delivery),
        () => channel.nack(delivery, false, true),
      );
    });
    return consumer;
  }

  async stop(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}
