import type { ConsumeMessage } from 'amqplib';
import type { Rejection } from '../../inbound/amqp/rejection.js';
import { AmqpPublisher } from './amqp-publisher.js';

export const REJECTION_REASON_HEADER = 'x-rejection-reason';
export const REJECTION_DETAIL_HEADER = 'x-rejection-detail';

/**
 * Dead-letters a delivery by publishing it ourselves: a broker-side reject cannot add the reason
 * headers. The body goes out byte for byte with its original properties.
 */
export class AmqpDeadLetterPublisher {
  constructor(
    private readonly publisher: AmqpPublisher,
    private readonly exchange: string,
  ) {}

  async publish(message: ConsumeMessage, rejection: Rejection): Promise<void> {
    const { properties, fields } = message;
    await this.publisher.publish(this.exchange, fields.routingKey, message.content, {
      contentType: properties.contentType as string | undefined,
      contentEncoding: properties.contentEncoding as string | undefined,
      messageId: properties.messageId as string | undefined,
      correlationId: properties.correlationId as string | undefined,
      timestamp: properties.timestamp as number | undefined,
      type: properties.type as string | undefined,
      appId: properties.appId as string | undefined,
      headers: {
        ...(properties.headers ?? {}),
        [REJECTION_REASON_HEADER]: rejection.reason,
        [REJECTION_DETAIL_HEADER]: rejection.detail,
        'x-original-exchange': fields.exchange,
        'x-original-routing-key': fields.routingKey,
        'x-rejected-at': new Date().toISOString(),
      },
    });
  }
}
