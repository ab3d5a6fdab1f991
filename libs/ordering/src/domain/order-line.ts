import type { Money } from './money.value-object.js';

export interface OrderLineProps {
  /** 1-based position in the order as product A sent it. */
  readonly lineNo: number;
  readonly productId: string;
  readonly name: string | null;
  readonly unitPrice: Money;
  readonly quantity: number;
}

export class OrderLine implements OrderLineProps {
  readonly lineNo: number;
  readonly productId: string;
  readonly name: string | null;
  readonly unitPrice: Money;
  readonly quantity: number;

  constructor(props: OrderLineProps) {
    this.lineNo = props.lineNo;
    this.productId = props.productId;
    this.name = props.name;
    this.unitPrice = props.unitPrice;
    this.quantity = props.quantity;
  }

  lineTotal(): Money {
    return this.unitPrice.multiply(this.quantity);
  }
}
