import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import amqpConnectionManager from 'amqp-connection-manager';
import type { ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import { rabbitmqNodeUrls } from '../../config/rabbitmq-nodes.js';

export const PUBLISH_TIMEOUT_MS = 10_000;

/** A message whose `messageId` is unique among those in flight, so a broker return can be matched to it. */
export interface MandatoryMessage {
  readonly exchange: string;
  readonly routingKey: string;
  readonly content: Buffer;
  readonly options: Options.Publish & { readonly messageId: string };
}

/** `routed`: a queue holds it. `unroutable`: confirmed, but returned because no queue was bound. */
export type MandatoryOutcome = 'routed' | 'unroutable';

/**
 * A long-lived connection with a confirm channel: `publish` resolves only once the broker has
 * taken responsibility for the message, and reconnects by itself after an outage.
 */
export class AmqpPublisher implements OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly connection: AmqpConnectionManager;
  private readonly channel: ChannelWrapper;
  private readonly returned = new Set<string>();
  /** The wrapper's confirm channel while it is open, for publishing a batch directly. */
  private confirmChannel: ConfirmChannel | null = null;

  /** `url`: RABBITMQ_URL, one node or a cluster's, comma-separated; each reconnect tries the next node. */
  constructor(url: string, connectionName: string) {
    this.logger = new Logger('AmqpPublisher');
    this.connection = amqpConnectionManager.connect(rabbitmqNodeUrls(url), {
      heartbeatIntervalInSeconds: 10,
      reconnectTimeInSeconds: 1,
      // amqplib leaves Nagle's algorithm on: a publish written while the previous segment is
      // unacknowledged would wait for that ACK, adding milliseconds to every OrderCalculated.
      connectionOptions: { noDelay: true, clientProperties: { connection_name: connectionName } },
    });
    this.connection.on('disconnect', ({ err }) => this.logger.warn(`Publisher disconnected: ${err?.message}`));
    this.channel = this.connection.createChannel({
      confirm: true,
      publishTimeout: PUBLISH_TIMEOUT_MS,
      // The broker sends basic.return before the basic.ack of the same message, so the id is
      // recorded here before the message's confirm reaches publishAllMandatory.
      setup: (channel: ConfirmChannel) => {
        channel.on('return', (message: ConsumeMessage) => this.returned.add(String(message.properties.messageId)));
        channel.once('close', () => {
          if (this.confirmChannel === channel) this.confirmChannel = null;
        });
        this.confirmChannel = channel;
        return Promise.resolve();
      },
    });
  }

  isConnected(): boolean {
    return this.connection.isConnected();
  }

  async publish(exchange: string, routingKey: string, content: Buffer, options: Options.Publish): Promise<void> {
    await this.channel.publish(exchange, routingKey, content, { persistent: true, ...options });
  }

  /**
   * Publishes every message with `mandatory` (a broker confirms an unroutable message too; the
   * flag makes it say so with a return) and settles once each is confirmed, refused or timed out.
   * While connected the messages go straight onto the confirm channel: one callback each and one
   * timer for all, where the wrapper's publish costs a promise, a queue entry and a timer apiece.
   * While not, they go through the wrapper, which holds them until it has reconnected.
   */
  publishAllMandatory(messages: readonly MandatoryMessage[]): Promise<PromiseSettledResult<MandatoryOutcome>[]> {
    const channel = this.confirmChannel;
    if (messages.length === 0) return Promise.resolve([]);
    if (!channel) return Promise.allSettled(messages.map((message) => this.publishThroughWrapper(message)));
    return new Promise((resolve) => {
      const outcomes = new Array<PromiseSettledResult<MandatoryOutcome>>(messages.length);
      let unsettled = messages.length;
      const settle = (index: number, outcome: PromiseSettledResult<MandatoryOutcome>) => {
        if (outcomes[index]) return;
        outcomes[index] = outcome;
        if (--unsettled > 0) return;
        clearTimeout(timer);
        resolve(outcomes);
      };
      const timer = setTimeout(() => {
        const reason = new Error(`No confirm from the broker within ${PUBLISH_TIMEOUT_MS} ms`);
        messages.forEach((_, index) => settle(index, { status: 'rejected', reason }));
      }, PUBLISH_TIMEOUT_MS);
      messages.forEach(({ exchange, routingKey, content, options }, index) => {
        const confirmed = (error: unknown) => {
          const returned = this.returned.delete(options.messageId);
          settle(
            index,
            error
              ? { status: 'rejected', reason: error }
              : { status: 'fulfilled', value: returned ? 'unroutable' : 'routed' },
          );
        };
        try {
          // A full write buffer only means the batch waits in amqplib's buffer a little longer.
          channel.publish(exchange, routingKey, content, { persistent: true, ...options, mandatory: true }, confirmed);
        } catch (error) {
          confirmed(error ?? new Error('publish failed'));
        }
      });
    });
  }

  private async publishThroughWrapper({
    exchange,
    routingKey,
    content,
    options,
  }: MandatoryMessage): Promise<MandatoryOutcome> {
    try {
      await this.channel.publish(exchange, routingKey, content, { persistent: true, ...options, mandatory: true });
    } catch (error) {
      this.returned.delete(options.messageId);
      throw error;
    }
    return this.returned.delete(options.messageId) ? 'unroutable' : 'routed';
  }

  async onApplicationShutdown(): Promise<void> {
    await this.channel.close();
    await this.connection.close();
  }
}
