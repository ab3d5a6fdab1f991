import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

/** The query string of DELETE /orders/{orderId}: the same cancellation as PUT …/status, reason optional. */
export class CancelOrderRequest {
  @ApiPropertyOptional({ minLength: 1, maxLength: 500 })
  @IsOptional()
  @IsString({ message: 'reason must be given once' })
  @Length(1, 500, { message: 'reason must be 1-500 characters' })
  reason?: string;
}
