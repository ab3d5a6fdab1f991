import { Query } from '@nestjs/cqrs';
import type { OrderHistory } from '../../read-model/order-history.js';

export class GetOrderHistoryQuery extends Query<OrderHistory> {
  constructor(readonly orderId: string) {
    super();
  }
}
