import type { ConsumeMessage, MessageProperties, Options } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { DeadLetterPublisher } from '../../messaging/dead-letter.publisher.js';
import type { Rejection } from '../../messaging/rejection.js';
import { AmqpPublisher, PUBLISH_ID_HEADER } from './amqp-publisher.js';

export const REJECTION_REASON_HEADER = 'x-rejection-reason';
export const REJECTION_DETAIL_HEADER = 'x-rejection-detail';
const ORIGINAL_EXCHANGE_HEADER = 'x-original-exchange';
const ORIGINAL_ROUTING_KEY_HEADER = 'x-original-routing-key';
const REJECTED_AT_HEADER = 'x-rejected-at';
/** Set by a quorum queue on a redelivery; a copy of it must not make a replayed message look redelivered. */
const DELIVERY_COUNT_HEADER = 'x-delivery-count';
/** Every header this publisher adds: what a replay takes off again. */
export const DEAD_LETTER_HEADERS = [
  REJECTION_REASON_HEADER,
  REJECTION_DETAIL_HEADER,
  ORIGINAL_EXCHANGE_HEADER,
  ORIGINAL_ROUTING_KEY_HEADER,
  REJECTED_AT_HEADER,
  PUBLISH_ID_HEADER,
  DELIVERY_COUNT_HEADER,
] as const;

/** The dead-letter exchange routed the message to no queue: the original must not be acked. */
export class UnroutableDeadLetterError extends Error {
  constructor(exchange: string, routingKey: string) {
    super(`Dead letter unroutable: no queue is bound to exchange ${exchange} for routing key ${routingKey}`);
    this.name = 'UnroutableDeadLetterError';
  }
}

/**
 * Dead-letters a delivery by publishing it ourselves: a broker-side reject cannot add the reason
 * headers. The body goes out byte for byte with its original properties, with `mandatory`: a dead
 * letter that no queue took is a failure, so that the caller keeps the original instead of acking it.
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
    const headers: Record<string, unknown> = { ...(properties.headers ?? {}) };
    delete headers[DELIVERY_COUNT_HEADER];
    const [outcome] = await this.publisher.publishAllMandatory([
      {
        exchange: this.exchange,
        routingKey: fields.routingKey,
        content: message.content,
        publishId: randomUUID(),
        options: {
          ...carriedProperties(properties),
          headers: {
            ...headers,
            [REJECTION_REASON_HEADER]: rejection.reason,
            [REJECTION_DETAIL_HEADER]: rejection.detail,
            [ORIGINAL_EXCHANGE_HEADER]: fields.exchange,
            [ORIGINAL_ROUTING_KEY_HEADER]: fields.routingKey,
            [REJECTED_AT_HEADER]: new Date().toISOString(),
          },
        },
      },
    ]);
    if (outcome.status === 'rejected') throw outcome.reason;
    if (outcome.value === 'unroutable') throw new UnroutableDeadLetterError(this.exchange, fields.routingKey);
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
