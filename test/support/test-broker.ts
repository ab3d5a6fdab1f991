import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { deleteContractTopology } from '../../apps/bench/src/contract-names.js';
import type { BrokerNames } from '../../apps/order-service/src/outbound/amqp/amqp-topology.js';
import amqp, { type ChannelModel, type ConfirmChannel, type Message, type Options } from 'amqplib';

export const RABBITMQ_URL = process.env.TEST_RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

export type { BrokerNames };

/** One message as product A sends it: a body (JSON-encoded unless bytes or text) and its properties. */
export interface OutgoingMessage {
  readonly body: unknown;
  readonly options?: Options.Publish;
}

/** The contract's exchange and queue names, prefixed per test run so runs never share a queue. */
export function uniqueBrokerNames(): BrokerNames {
  const prefix = `test.${randomBytes(5).toString('hex')}`;
  return {
    INBOUND_EXCHANGE: `${prefix}.orders.inbound`,
    INBOUND_ROUTING_KEY: 'order.placed',
    INBOUND_QUEUE: `${prefix}.order-service.order-placed`,
    DEAD_LETTER_EXCHANGE: `${prefix}.orders.inbound.dlx`,
    DEAD_LETTER_QUEUE: `${prefix}.order-service.order-placed.dlq`,
    EVENTS_EXCHANGE: `${prefix}.orders.events`,
    EVENTS_ROUTING_KEY: 'order.calculated',
    EVENTS_QUEUE: `${prefix}.order.calculated`,
    EVENTS_PAID_ROUTING_KEY: 'order.paid',
    EVENTS_PAYMENT_FAILED_ROUTING_KEY: 'order.payment-failed',
    EVENTS_SHIPPED_ROUTING_KEY: 'order.shipped',
    EVENTS_DELIVERED_ROUTING_KEY: 'order.delivered',
    EVENTS_CANCELLED_ROUTING_KEY: 'order.cancelled',
    STATUS_EVENTS_QUEUE: `${prefix}.order.status-changed`,
    PAYMENTS_EXCHANGE: `${prefix}.payments.events`,
    PAYMENTS_CONFIRMED_ROUTING_KEY: 'payment.confirmed',
    PAYMENTS_REJECTED_ROUTING_KEY: 'payment.rejected',
    PAYMENTS_QUEUE: `${prefix}.order-service.payments`,
    PAYMENTS_DEAD_LETTER_EXCHANGE: `${prefix}.order-service.payments.dlx`,
    PAYMENTS_DEAD_LETTER_QUEUE: `${prefix}.order-service.payments.dlq`,
  };
}

/** Plays product A (publishing with confirms) and inspects queues the way an operator would. */
export class TestBroker {
  private constructor(
    readonly names: BrokerNames,
    private readonly connection: ChannelModel,
    private readonly channel: ConfirmChannel,
  ) {}

  /** `url`: one node's (the system node by default); a cluster's tests pick a node they will not fault. */
  static async connect(names: BrokerNames = uniqueBrokerNames(), url = RABBITMQ_URL): Promise<TestBroker> {
    const connection = await amqp.connect(url);
    const channel = await connection.createConfirmChannel();
    return new TestBroker(names, connection, channel);
  }

  /** Publishes as product A does: persistent, to the inbound exchange, confirmed by the broker. */
  async publish(body: unknown, options: Options.Publish = {}): Promise<void> {
    this.send(this.names.INBOUND_EXCHANGE, this.names.INBOUND_ROUTING_KEY, { body, options });
    await this.channel.waitForConfirms();
  }

  /** A burst: every message sent at once, then one wait for the broker to confirm them all. */
  async publishAll(messages: readonly OutgoingMessage[]): Promise<void> {
    await this.publishAllTo(this.names.INBOUND_EXCHANGE, this.names.INBOUND_ROUTING_KEY, messages);
  }

  /** Publishes as the payment system does: persistent, to the payments exchange, confirmed by the broker. */
  async publishPayment(outcome: 'confirmed' | 'rejected', body: unknown, options: Options.Publish = {}): Promise<void> {
    await this.publishAllPayments(outcome, [{ body, options }]);
  }

  /** A burst of the payment system's messages, each under its outcome's routing key. */
  async publishAllPayments(outcome: 'confirmed' | 'rejected', messages: readonly OutgoingMessage[]): Promise<void> {
    const { PAYMENTS_EXCHANGE, PAYMENTS_CONFIRMED_ROUTING_KEY, PAYMENTS_REJECTED_ROUTING_KEY } = this.names;
    const routingKey = outcome === 'confirmed' ? PAYMENTS_CONFIRMED_ROUTING_KEY : PAYMENTS_REJECTED_ROUTING_KEY;
    await this.publishAllTo(PAYMENTS_EXCHANGE, routingKey, messages);
  }

  private async publishAllTo(
    exchange: string,
    routingKey: string,
    messages: readonly OutgoingMessage[],
  ): Promise<void> {
    for (const message of messages) {
      if (!this.send(exchange, routingKey, message)) await once(this.channel, 'drain');
    }
    await this.channel.waitForConfirms();
  }

  /** False when the channel's buffer is full: wait for 'drain' before sending more. */
  private send(exchange: string, routingKey: string, { body, options = {} }: OutgoingMessage): boolean {
    const content = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    return this.channel.publish(exchange, routingKey, content, {
      persistent: true,
      contentType: 'application/json',
      ...options,
    });
  }

  /** Takes product B's queue off the events exchange: OrderCalculated then has nowhere to go. */
  async unbindEventsQueue(): Promise<void> {
    const { EVENTS_QUEUE, EVENTS_EXCHANGE, EVENTS_ROUTING_KEY } = this.names;
    await this.channel.unbindQueue(EVENTS_QUEUE, EVENTS_EXCHANGE, EVENTS_ROUTING_KEY);
  }

  async bindEventsQueue(): Promise<void> {
    const { EVENTS_QUEUE, EVENTS_EXCHANGE, EVENTS_ROUTING_KEY } = this.names;
    await this.channel.bindQueue(EVENTS_QUEUE, EVENTS_EXCHANGE, EVENTS_ROUTING_KEY);
  }

  /** Takes the DLQ off the dead-letter exchange: a dead letter then has nowhere to go. */
  async unbindDeadLetterQueue(): Promise<void> {
    const { DEAD_LETTER_QUEUE, DEAD_LETTER_EXCHANGE, INBOUND_ROUTING_KEY } = this.names;
    await this.channel.unbindQueue(DEAD_LETTER_QUEUE, DEAD_LETTER_EXCHANGE, '#');
    await this.channel.unbindQueue(DEAD_LETTER_QUEUE, DEAD_LETTER_EXCHANGE, INBOUND_ROUTING_KEY);
  }

  async bindDeadLetterQueue(): Promise<void> {
    const { DEAD_LETTER_QUEUE, DEAD_LETTER_EXCHANGE } = this.names;
    await this.channel.bindQueue(DEAD_LETTER_QUEUE, DEAD_LETTER_EXCHANGE, '#');
  }

  async messageCount(queue: string): Promise<number> {
    return (await this.channel.checkQueue(queue)).messageCount;
  }

  /**
   * The queue's count once it stops moving: a quorum queue takes back the deliveries of a closed
   * channel through its log, a moment after the close has returned.
   */
  async settledMessageCount(queue: string): Promise<number> {
    let count = await this.messageCount(queue);
    for (;;) {
      await sleep(250);
      const now = await this.messageCount(queue);
      if (now === count) return count;
      count = now;
    }
  }

  /**
   * Takes every message now in the queue (acking them), oldest first. A consumer, not basic.get:
   * a get per message costs a network round trip, which made large drains take seconds.
   */
  async drain(queue: string): Promise<Message[]> {
    const count = await this.settledMessageCount(queue);
    if (count === 0) return [];
    const taken: Message[] = [];
    const channel = await this.connection.createChannel();
    try {
      await new Promise<void>((resolve, reject) => {
        channel.once('error', reject);
        void channel.consume(queue, (message) => {
          if (!message) return reject(new Error(`consumer of ${queue} cancelled`));
          taken.push(message);
          if (taken.length === count) {
            channel.ackAll();
            resolve();
          }
        });
      });
    } finally {
      await channel.close().catch(() => undefined);
    }
    return taken;
  }

  async deleteAll(): Promise<void> {
    await deleteContractTopology(this.channel, this.names);
  }

  async close(): Promise<void> {
    await this.connection.close().catch(() => undefined);
  }
}

/** Polls until `check` returns a value (not undefined), or fails with what it last saw. */
export async function eventually<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}
