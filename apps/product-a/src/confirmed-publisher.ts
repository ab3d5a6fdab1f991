import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';

export interface PublishTarget {
  readonly url: string;
  readonly exchange: string;
  readonly routingKey: string;
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
 * Product A's side of the contract: persistent JSON messages on the inbound topic exchange, each
 * confirmed by the broker and published `mandatory`, so that a message no queue took is counted
 * instead of silently dropped.
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
      clientProperties: { connection_name: 'product-a example' },
    });
    const channel = await connection.createConfirmChannel();
    // As the service declares it: either side may start first (contract section 1).
    await channel.assertExchange(target.exchange, 'topic', { durable: true });
    return new ConfirmedPublisher(connection, channel, target);
  }

  /** Resolves once the channel takes the message (back-pressure); the confirm is counted when it comes. */
  async publish(body: Buffer, messageId: string): Promise<void> {
    const accepted = this.channel.publish(
      this.target.exchange,
      this.target.routingKey,
      body,
      { persistent: true, contentType: 'application/json', messageId, mandatory: true },
      (error: unknown) => (error ? this.counts.nacked++ : this.counts.confirmed++),
    );
    this.counts.published++;
    if (!accepted) await new Promise((resolve) => this.channel.once('drain', resolve));
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
