import { Query } from '@nestjs/cqrs';
import type { OrderViewFilter, OrderViewPage, OrderViewPosition } from '../../read-model/order-view-listing.js';

export class ListOrdersQuery extends Query<OrderViewPage> {
  constructor(
    readonly filter: OrderViewFilter,
    readonly limit: number,
    readonly after: OrderViewPosition | null,
  ) {
    super();
  }
}
