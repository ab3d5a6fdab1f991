import type { Order } from '../../domain/index.js';

/** What the write model answers when an order is added: new, or already known under its externalId. */
export type OrderAdmission =
  | { readonly admitted: true }
  | { readonly admitted: false; readonly existingOrderId: string; readonly existingFingerprint: string };

/**
 * The write model. Adapters translate dependency outages into DependencyUnavailableError so callers
 * can tell "retry later" from "this order cannot be processed".
 */
export abstract class OrderRepository {
  /**
   * Admits a new order unless its externalId is already known, and stores it when the unit of work
   * commits. Of concurrent units of work admitting one externalId, one commits it; the others fail
   * with ConcurrentModificationError, and run again to find it known.
   */
  abstract add(order: Order): Promise<OrderAdmission>;
  abstract getById(orderId: string): Promise<Order>;
  /** Persists the order's changes, guarded by its version; its events are the dispatcher's. */
  abstract save(order: Order): Promise<void>;
  /** Up to `limit` orders with an id greater than `afterId`, in id order: a walk over the whole model. */
  abstract listAfter(afterId: string | null, limit: number): Promise<Order[]>;
}
