import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Currency, Money, OrderStatus } from '../../../domain/index.js';
import { OrderViewStore } from '../../ports/order-view.store.js';
import type { OrderStatistics } from '../../read-model/order-statistics.js';
import { GetOrderStatsQuery } from './get-order-stats.query.js';

/** Counts per status, every status listed, and the exact sum of calculated totals per currency. */
@QueryHandler(GetOrderStatsQuery)
export class GetOrderStatsQueryHandler implements IQueryHandler<GetOrderStatsQuery, OrderStatistics> {
  constructor(private readonly views: OrderViewStore) {}

  async execute({ receivedFrom, receivedTo }: GetOrderStatsQuery): Promise<OrderStatistics> {
    const stored = await this.views.statistics({ receivedFrom, receivedTo });
    const countsByStatus = Object.fromEntries(Object.values(OrderStatus).map((status) => [status, 0])) as Record<
      OrderStatus,
      number
    >;
    for (const { status, count } of stored.countsByStatus) countsByStatus[status as OrderStatus] = count;
    const totalsByCurrency = Object.fromEntries(
      stored.totalsByCurrency.map(({ currency, total }) => [
        currency,
        Money.parse(total, Currency.of(currency)).toString(),
      ]),
    );
    return { countsByStatus, totalsByCurrency };
  }
}
