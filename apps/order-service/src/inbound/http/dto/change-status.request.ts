import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OrderStatus } from '@app/ordering';
import { IsIn, IsOptional, IsString, Length, Matches, ValidateIf, type ValidationArguments } from 'class-validator';

/** The statuses product B may set; PAID and PAYMENT_FAILED come from the payment system only. */
export const SETTABLE_STATUSES = [OrderStatus.Shipped, OrderStatus.Delivered, OrderStatus.Cancelled] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];
const SET_BY_PAYMENTS: readonly unknown[] = [OrderStatus.Paid, OrderStatus.PaymentFailed];

function statusMessage({ value }: ValidationArguments): string {
  return SET_BY_PAYMENTS.includes(value)
    ? `status ${String(value)} is set by the payment system only; product B sets ${SETTABLE_STATUSES.join(', ')}`
    : `status must be one of ${SETTABLE_STATUSES.join(', ')}`;
}

/** The body of PUT /orders/{orderId}/status (contract section 4.2). */
export class ChangeStatusRequest {
  @ApiProperty({ enum: SETTABLE_STATUSES })
  @IsIn(SETTABLE_STATUSES, { message: statusMessage })
  status: SettableStatus;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100, description: 'SHIPPED only.' })
  @IsOptional()
  @IsString({ message: 'carrier must be a string' })
  @Length(0, 100, { message: 'carrier must be at most 100 characters' })
  carrier?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 100, description: 'SHIPPED only.' })
  @IsOptional()
  @IsString({ message: 'trackingCode must be a string' })
  @Length(0, 100, { message: 'trackingCode must be at most 100 characters' })
  trackingCode?: string | null;

  @ApiPropertyOptional({ minLength: 1, maxLength: 500, description: 'Required for CANCELLED.' })
  @ValidateIf(
    (request: ChangeStatusRequest) => request.status === OrderStatus.Cancelled || request.reason !== undefined,
  )
  @Matches(/^[\s\S]{1,500}$/u, { message: 'reason must be a string of 1-500 characters (required to cancel)' })
  reason?: string;
}
