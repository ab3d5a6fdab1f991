import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { tracedPublish } from './example-tracing.js';

export interface PublishTarget {
  readonly url: string;
  readonly exchange: string;
  /** How the broker's management UI names the connection. */
  readonly connectionName: string;
}

/** What the broker said about the messages published so far. */
export interface PublishCounts {
  published: number;
  confirmed: number;
  /** Refused by the broker (nack): not stored, product A must send them again. */
  nacked: number;
  /** Confirmed but routed to no queue (the service never declared its queue): lost for the service. */
  unroutable: number;
}

/**
 * How products A and the payment system publish (contract sections 1 and 4.1): persistent JSON
 * messages on a topic exchange, each confirmed by the broker and published `mandatory`, so that a
 * message no queue took is counted instead of silently dropped.
 */
export class ConfirmedPublisher {
  readonly counts: PublishCounts = { published: 0, confirmed: 0, nacked: 0, unroutable: 0 };

  private constructor(
    private readonly connection: ChannelModel,
    private readonly channel: ConfirmChannel,
    private readonly target: PublishTarget,
  ) {
    channel.on('return', () => this.counts.unroutable++);
  }

  static async connect(target: PublishTarget): Promise<ConfirmedPublisher> {
    // noDelay: amqplib leaves Nagle's algorithm on, which holds small publishes back for milliseconds.
    const connection = await amqp.connect(target.url, {
      noDelay: true,
      clientProperties: { connection_name: target.connectionName },
    });
    const channel = await connection.createConfirmChannel();
    // As the service declares it: either side may start first (contract section 1).
    await channel.assertExchange(target.exchange, 'topic', { durable: true });
    return new ConfirmedPublisher(connection, channel, target);
  }

  /** Resolves once the channel takes the message (back-pressure); the confirm is counted when it comes. */
  async publish(routingKey: string, body: Buffer, messageId: string): Promise<void> {
    if (!this.send(routingKey, body, messageId, () => undefined)) {
      await new Promise((resolve) => this.channel.once('drain', resolve));
    }
  }

  /** Resolves once the broker has the message (its confirm), for a sender that acknowledges only then. */
  confirmed(routingKey: string, body: Buffer, messageId: string): Promise<void> {
    return new Promise((resolve, reject) =>
      this.send(routingKey, body, messageId, (error) =>
        error ? reject(new Error(`the broker refused message ${messageId}`)) : resolve(),
      ),
    );
  }

  /** False when the channel's buffer is full. */
  private send(routingKey: string, body: Buffer, messageId: string, settled: (error: unknown) => void): boolean {
    this.counts.published++;
    const traced = tracedPublish(this.target.exchange, routingKey, messageId);
    return this.channel.publish(
      this.target.exchange,
      routingKey,
      body,
      { persistent: true, contentType: 'application/json', messageId, mandatory: true, headers: traced.headers },
      (error: unknown) => {
        if (error) this.counts.nacked++;
        else this.counts.confirmed++;
        traced.settled(error);
        settled(error);
      },
    );
  }

  /** Waits for every outstanding confirm, then closes. */
  async close(): Promise<void> {
    try {
      await this.channel.waitForConfirms().catch(() => undefined); // nacks are already counted
    } finally {
      await this.connection.close().catch(() => undefined);
    }
  }
}
