import { ApiProperty } from '@nestjs/swagger';
import { OrderStatus } from '@app/ordering';

/** One status the order took (contract section 4.4). */
export class OrderHistoryEntryResponse {
  @ApiProperty({ format: 'uuid', description: 'The eventId of the message that announced it.' })
  eventId: string;

  @ApiProperty({ example: 'OrderShipped' })
  eventType: string;

  @ApiProperty({ enum: Object.values(OrderStatus) })
  status: OrderStatus;

  @ApiProperty({ example: 3 })
  version: number;

  @ApiProperty({ format: 'date-time' })
  occurredAt: string;

  @ApiProperty({ enum: ['amqp', 'http'] })
  source: 'amqp' | 'http';

  @ApiProperty({
    example: 'payment.confirmed',
    description: "The routing key (AMQP), or the first 12 hex digits of the API key's SHA-256 (REST).",
  })
  actor: string;

  @ApiProperty({ type: 'object', additionalProperties: true, example: { carrier: 'Correios', trackingCode: 'BR123' } })
  details: Record<string, string | boolean | null>;
}

export class OrderHistoryResponse {
  @ApiProperty({ format: 'uuid' })
  orderId: string;

  @ApiProperty({ type: [OrderHistoryEntryResponse], description: 'Oldest first.' })
  entries: readonly OrderHistoryEntryResponse[];
}
