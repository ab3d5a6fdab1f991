import { ApiProperty } from '@nestjs/swagger';

export class OrderStatsResponse {
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  receivedFrom: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  receivedTo: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { RECEIVED: 0, CALCULATED: 1250 },
    description: 'Every status, zero included.',
  })
  countsByStatus: Record<string, number>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { BRL: '182734.50', USD: '1200.00' },
    description: 'Sum of the totals of calculated orders, per currency, exact.',
  })
  totalsByCurrency: Record<string, string>;
}
