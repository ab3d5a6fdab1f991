import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { OrderNotFoundError } from '../../errors/order-not-found.error.js';
import { OrderHistoryStore } from '../../ports/order-history.store.js';
import type { OrderHistory } from '../../read-model/order-history.js';
import { GetOrderHistoryQuery } from './get-order-history.query.js';

/** Every calculated order has at least its OrderCalculated entry, so no entries means no such order. */
@QueryHandler(GetOrderHistoryQuery)
export class GetOrderHistoryQueryHandler implements IQueryHandler<GetOrderHistoryQuery, OrderHistory> {
  constructor(private readonly history: OrderHistoryStore) {}

  async execute({ orderId }: GetOrderHistoryQuery): Promise<OrderHistory> {
    const entries = await this.history.findByOrder(orderId);
    if (entries.length === 0) throw new OrderNotFoundError(orderId);
    return { orderId, entries };
  }
}
