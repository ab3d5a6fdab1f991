import { ApiProperty } from '@nestjs/swagger';

export class OrderItemResponse {
  @ApiProperty({ example: 'P-1' })
  productId: string;

  @ApiProperty({ type: String, nullable: true, example: 'Mouse' })
  name: string | null;

  @ApiProperty({ example: '19.90', description: "Decimal string with the currency's decimal places." })
  unitPrice: string;

  @ApiProperty({ example: 2 })
  quantity: number;

  @ApiProperty({ example: '39.80' })
  lineTotal: string;
}
