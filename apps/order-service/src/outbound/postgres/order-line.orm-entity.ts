import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'order_lines' })
export class OrderLineOrmEntity {
  @PrimaryColumn({ name: 'order_id', type: 'uuid' })
  orderId: string;

  @PrimaryColumn({ name: 'line_no', type: 'integer' })
  lineNo: number;

  @Column({ name: 'product_id', type: 'varchar', length: 64 })
  productId: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name: string | null;

  @Column({ name: 'unit_price', type: 'numeric' })
  unitPrice: string;

  @Column({ type: 'integer' })
  quantity: number;
}
