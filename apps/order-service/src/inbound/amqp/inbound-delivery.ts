import type { DeliveryMetadata } from '@app/ordering';
import type { Channel, ConsumeMessage } from 'amqplib';
import { ChannelAcknowledgements } from './channel-acknowledgements.js';
import { type Context, contextFromHeaders } from '../../observability/tracing/spans.js';

const DELIVERY_COUNT_HEADER = 'x-delivery-count';

/**
 * One message taken from the inbound queue, and the channel it must be settled on. Once that
 * channel is gone the broker gives the message to another consumer, so there is nothing left to do.
 */
export class InboundDelivery {
  private readonly acknowledgements: ChannelAcknowledgements;

  constructor(
    readonly message: ConsumeMessage,
    channel: Channel,
  ) {
    this.acknowledgements = ChannelAcknowledgements.for(channel);
  }

  get content(): Buffer {
    return this.message.content;
  }

  get metadata(): DeliveryMetadata {
    const properties: { messageId?: unknown; correlationId?: unknown } = this.message.properties;
    return {
      messageId: asText(properties.messageId),
      correlationId: asText(properties.correlationId),
      routingKey: this.message.fields.routingKey,
    };
  }

  /** The trace its publisher's `traceparent`/`tracestate` headers continue; none without them. */
  get traceContext(): Context {
    return contextFromHeaders(this.message.properties.headers);
  }

  /**
   * How often a quorum queue delivered this message before without its being settled (its
   * consumer's channel or process died); 0 from a classic queue, which does not count.
   */
  get previousDeliveries(): number {
    const count: unknown = (this.message.properties.headers ?? {})[DELIVERY_COUNT_HEADER];
    return typeof count === 'number' && Number.isInteger(count) && count > 0 ? count : 0;
  }

  isOpen(): boolean {
    return this.acknowledgements.open;
  }

  /** False when the channel closed first: the broker will redeliver, and the duplicate check absorbs it. */
  ack(): boolean {
    return this.acknowledgements.ack(this.message);
  }
}

/**
 * Control characters are stripped, not refused: the ids only label the order in logs and in its
 * OrderCalculated message, Postgres cannot store NUL, and a label is no reason to lose an order.
 */
function asText(value: unknown): string | null {
  const text = typeof value === 'string' ? value.replace(/\p{Cc}/gu, '') : '';
  return text.length > 0 ? text : null;
}
