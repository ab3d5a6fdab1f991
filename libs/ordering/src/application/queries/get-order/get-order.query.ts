import { Query } from '@nestjs/cqrs';
import type { RenderedOrderView } from '../../read-model/order-view.js';

export class GetOrderQuery extends Query<RenderedOrderView> {
  constructor(readonly orderId: string) {
    super();
  }
}
