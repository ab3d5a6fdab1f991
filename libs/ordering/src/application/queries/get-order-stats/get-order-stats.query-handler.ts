import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Currency, Money, OrderStatus } from '../../../domain/index.js';
import { OrderViewStore } from '../../ports/order-view.store.js';
import type { OrderStatistics } from '../../read-model/order-statistics.js';
import { GetOrderStatsQuery } from './get-order-stats.query.js';

/**
 * Counts per status, every status listed, and the exact sum per currency of the totals of every
 * calculated order, whatever its status since (paid, shipped, cancelled…).
 */
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
    const sums = new Map<string, Money>();
    for (const { currency, total } of stored.totalsByCurrency) {
      const amount = Money.parse(total, Currency.of(currency));
      sums.set(currency, sums.get(currency)?.add(amount) ?? amount);
    }
    const totalsByCurrency = Object.fromEntries([...sums].map(([currency, sum]) => [currency, sum.toString()]));
    return { countsByStatus, totalsByCurrency };
  }
}
