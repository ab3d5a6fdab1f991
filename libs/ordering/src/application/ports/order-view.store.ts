import type { StoredOrderStatistics } from '../read-model/order-statistics.js';
import type { OrderView, RenderedOrderView } from '../read-model/order-view.js';
import type {
  OrderViewFilter,
  OrderViewPage,
  OrderViewPosition,
  ReceivedRange,
} from '../read-model/order-view-listing.js';

/**
 * The denormalized read table: written by the projector inside the write model's transaction, read
 * by the queries with one indexed statement each.
 */
export abstract class OrderViewStore {
  /** Inserts or replaces the order's row; an older state never overwrites a newer one. */
  abstract save(view: OrderView): Promise<void>;
  abstract findById(orderId: string): Promise<RenderedOrderView | null>;
  /** Newest first (receivedAt, then orderId, both descending), starting after `after`. */
  abstract list(filter: OrderViewFilter, limit: number, after: OrderViewPosition | null): Promise<OrderViewPage>;
  /**
   * Totals per status and currency (the handler adds them up per currency); counts cover every status. Kept per day as the rows
   * are written, so the cost depends on the days in the range and the rows of its edge days only.
   */
  abstract statistics(range: ReceivedRange): Promise<StoredOrderStatistics>;
  /** Recomputes the kept per-day figures from the rows (after a repair of the read table). */
  abstract rebuildStatistics(): Promise<void>;
}
