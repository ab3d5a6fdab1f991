import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { AmqpConnectionManager, ChannelWrapper } from 'amqp-connection-manager';
import amqpConnectionManager from 'amqp-connection-manager';
import type { Options } from 'amqplib';

export const PUBLISH_TIMEOUT_MS = 10_000;

/**
 * A long-lived connection with a confirm channel: `publish` resolves only once the broker has
 * taken responsibility for the message, and reconnects by itself after an outage.
 */
export class AmqpPublisher implements OnApplicationShutdown {
  private readonly logger = new Logger(AmqpPublisher.name);
  private readonly connection: AmqpConnectionManager;
  private readonly channel: ChannelWrapper;

  constructor(url: string) {
    this.connection = amqpConnectionManager.connect([url], { heartbeatIntervalInSeconds: 10 });
    this.connection.on('disconnect', ({ err }) => this.logger.warn(`Publisher disconnected: ${err?.message}`));
    this.channel = this.connection.createChannel({ confirm: true, publishTimeout: PUBLISH_TIMEOUT_MS });
  }

  isConnected(): boolean {
    return this.connection.isConnected();
  }

  async publish(exchange: string, routingKey: string, content: Buffer, options: Options.Publish): Promise<void> {
    await this.channel.publish(exchange, routingKey, content, { persistent: true, ...options });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.channel.close();
    await this.connection.close();
  }
}
