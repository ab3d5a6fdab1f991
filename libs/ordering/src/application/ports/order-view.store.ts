import type { StoredOrderStatistics } from '../read-model/order-statistics.js';
import type { OrderView } from '../read-model/order-view.js';
import type { OrderViewFilter, OrderViewPage, OrderViewPosition } from '../read-model/order-view-listing.js';

/**
 * The denormalized read table: written by the projector inside the write model's transaction, read
 * by the queries with one indexed statement each.
 */
export abstract class OrderViewStore {
  /** Inserts or replaces the order's row; an older state never overwrites a newer one. */
  abstract save(view: OrderView): Promise<void>;
  abstract findById(orderId: string): Promise<OrderView | null>;
  /** Newest first (receivedAt, then orderId, both descending), starting after `after`. */
  abstract list(filter: OrderViewFilter, limit: number, after: OrderViewPosition | null): Promise<OrderViewPage>;
  /** Calculated totals are summed per currency; counts cover every status. */
  abstract statistics(filter: OrderViewFilter): Promise<StoredOrderStatistics>;
}
