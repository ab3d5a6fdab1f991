import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { OrderNotFoundError } from '../../errors/order-not-found.error.js';
import { OrderViewStore } from '../../ports/order-view.store.js';
import type { RenderedOrderView } from '../../read-model/order-view.js';
import { GetOrderQuery } from './get-order.query.js';

@QueryHandler(GetOrderQuery)
export class GetOrderQueryHandler implements IQueryHandler<GetOrderQuery, RenderedOrderView> {
  constructor(private readonly views: OrderViewStore) {}

  async execute({ orderId }: GetOrderQuery): Promise<RenderedOrderView> {
    const view = await this.views.findById(orderId);
    if (!view) throw new OrderNotFoundError(orderId);
    return view;
  }
}
