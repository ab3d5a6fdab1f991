import type { OrderHistoryEntry } from '../read-model/order-history.js';

export type StoredHistoryEntry = OrderHistoryEntry & { readonly orderId: string };

/**
 * The append-only history of every order's statuses, written by the events that make them, in
 * their transaction; never updated, never deleted.
 */
export abstract class OrderHistoryStore {
  abstract append(entry: StoredHistoryEntry): Promise<void>;
  /** Oldest first (by version). */
  abstract findByOrder(orderId: string): Promise<OrderHistoryEntry[]>;
}
