import { ApiProperty } from '@nestjs/swagger';
import { OrderStatus } from '@app/ordering';
import { OrderItemResponse } from './order-item.response.js';

/** An order as the contract's section 3 gives it; money is always a decimal string. */
export class OrderResponse {
  @ApiProperty({ format: 'uuid' })
  orderId: string;

  @ApiProperty({ example: 'A-2026-000123' })
  externalId: string;

  @ApiProperty({ type: String, nullable: true, example: 'C-42' })
  customerId: string | null;

  @ApiProperty({ enum: Object.values(OrderStatus) })
  status: OrderStatus;

  @ApiProperty({ example: 'BRL' })
  currency: string;

  @ApiProperty({ type: String, nullable: true, example: '45.30', description: 'Null until calculated.' })
  total: string | null;

  @ApiProperty({ example: 2 })
  itemCount: number;

  @ApiProperty({ type: [OrderItemResponse] })
  items: readonly OrderItemResponse[];

  @ApiProperty({ format: 'date-time' })
  receivedAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  calculatedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  paidAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  shippedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  deliveredAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelledAt: string | null;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  @ApiProperty({ example: 3, description: 'Grows by one with every change; the ETag, for If-Match.' })
  version: number;
}
