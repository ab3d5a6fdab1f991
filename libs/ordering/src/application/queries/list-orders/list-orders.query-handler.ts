import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { OrderViewStore } from '../../ports/order-view.store.js';
import type { OrderViewPage } from '../../read-model/order-view-listing.js';
import { ListOrdersQuery } from './list-orders.query.js';

/** One page of orders, newest first, by keyset: a page never repeats or skips an order of another. */
@QueryHandler(ListOrdersQuery)
export class ListOrdersQueryHandler implements IQueryHandler<ListOrdersQuery, OrderViewPage> {
  constructor(private readonly views: OrderViewStore) {}

  execute({ filter, limit, after }: ListOrdersQuery): Promise<OrderViewPage> {
    return this.views.list(filter, limit, after);
  }
}
