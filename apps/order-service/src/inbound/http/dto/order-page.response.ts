import { ApiProperty } from '@nestjs/swagger';
import { OrderResponse } from './order.response.js';

export class OrderPageResponse {
  @ApiProperty({ type: [OrderResponse], description: 'Newest first.' })
  data: readonly OrderResponse[];

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null on the last.' })
  nextCursor: string | null;
}
