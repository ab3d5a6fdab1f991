import { Query } from '@nestjs/cqrs';
import type { OrderView } from '../../read-model/order-view.js';

export class GetOrderQuery extends Query<OrderView> {
  constructor(readonly orderId: string) {
    super();
  }
}
