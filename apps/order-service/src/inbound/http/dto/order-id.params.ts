import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class OrderIdParams {
  @ApiProperty({ format: 'uuid', description: "The service's order id (orderId of OrderCalculated)." })
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId: string;
}
