import type { DeliveryMetadata } from '@app/ordering';
import type { Channel, ConsumeMessage } from 'amqplib';

const closedChannels = new WeakSet<Channel>();
const watchedChannels = new WeakSet<Channel>();

/**
 * One message taken from the inbound queue, and the channel it must be settled on. Once that
 * channel is gone the broker gives the message to another consumer, so there is nothing left to do.
 */
export class InboundDelivery {
  constructor(
    readonly message: ConsumeMessage,
    private readonly channel: Channel,
  ) {
    if (!watchedChannels.has(channel)) {
      watchedChannels.add(channel);
      channel.once('close', () => closedChannels.add(channel));
    }
  }

  get content(): Buffer {
    return this.message.content;
  }

  get metadata(): DeliveryMetadata {
    const properties: { messageId?: unknown; correlationId?: unknown } = this.message.properties;
    return { messageId: asText(properties.messageId), correlationId: asText(properties.correlationId) };
  }

  isOpen(): boolean {
    return !closedChannels.has(this.channel);
  }

  /** False when the channel closed first: the broker will redeliver, and the duplicate check absorbs it. */
  ack(): boolean {
    try {
      this.channel.ack(this.message);
      return true;
    } catch {
      closedChannels.add(this.channel);
      return false;
    }
  }
}

function asText(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}
