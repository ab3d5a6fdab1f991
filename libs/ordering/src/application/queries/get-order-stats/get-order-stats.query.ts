import { Query } from '@nestjs/cqrs';
import type { OrderStatistics } from '../../read-model/order-statistics.js';

export class GetOrderStatsQuery extends Query<OrderStatistics> {
  constructor(
    readonly receivedFrom?: Date,
    readonly receivedTo?: Date,
  ) {
    super();
  }
}
