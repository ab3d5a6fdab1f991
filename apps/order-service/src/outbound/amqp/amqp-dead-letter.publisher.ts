import type { ConsumeMessage, MessageProperties, Options } from 'amqplib';
import { DeadLetterPublisher } from '../../messaging/dead-letter.publisher.js';
import type { Rejection } from '../../messaging/rejection.js';
import { AmqpPublisher } from './amqp-publisher.js';

export const REJECTION_REASON_HEADER = 'x-rejection-reason';
export const REJECTION_DETAIL_HEADER = 'x-rejection-detail';
const ORIGINAL_EXCHANGE_HEADER = 'x-original-exchange';
const ORIGINAL_ROUTING_KEY_HEADER = 'x-original-routing-key';
const REJECTED_AT_HEADER = 'x-rejected-at';
/** Every header this publisher adds: what a replay takes off again. */
export const DEAD_LETTER_HEADERS = [
  REJECTION_REASON_HEADER,
  REJECTION_DETAIL_HEADER,
  ORIGINAL_EXCHANGE_HEADER,
  ORIGINAL_ROUTING_KEY_HEADER,
  REJECTED_AT_HEADER,
] as const;

/**
 * Dead-letters a delivery by publishing it ourselves: a broker-side reject cannot add the reason
 * headers. The body goes out byte for byte with its original properties.
 */
export class AmqpDeadLetterPublisher extends DeadLetterPublisher {
  constructor(
    private readonly publisher: AmqpPublisher,
    private readonly exchange: string,
  ) {
    super();
  }

  async publish(message: ConsumeMessage, rejection: Rejection): Promise<void> {
    const { properties, fields } = message;
    await this.publisher.publish(this.exchange, fields.routingKey, message.content, {
      ...carriedProperties(properties),
      headers: {
        ...(properties.headers ?? {}),
        [REJECTION_REASON_HEADER]: rejection.reason,
        [REJECTION_DETAIL_HEADER]: rejection.detail,
        [ORIGINAL_EXCHANGE_HEADER]: fields.exchange,
        [ORIGINAL_ROUTING_KEY_HEADER]: fields.routingKey,
        [REJECTED_AT_HEADER]: new Date().toISOString(),
      },
    });
  }
}

/** The original message's properties that travel with it, to the DLQ and back; its headers apart. */
export function carriedProperties(properties: MessageProperties): Options.Publish {
  return {
    contentType: properties.contentType as string | undefined,
    contentEncoding: properties.contentEncoding as string | undefined,
    messageId: properties.messageId as string | undefined,
    correlationId: properties.correlationId as string | undefined,
    timestamp: properties.timestamp as number | undefined,
    type: properties.type as string | undefined,
    appId: properties.appId as string | undefined,
  };
}
