import { ConcurrentModificationError, type Order } from '@app/ordering';
import type { DeferredStatement, DeferredWrites } from './deferred-statement.js';

/** Each row moves only from the version its change was made on; a row that moved meanwhile is missing. */
const UPDATE_ORDERS = `
  UPDATE orders AS o
  SET status = u.status, total = u.total, calculated_at = u.calculated_at, updated_at = now(), version = o.version + 1
  FROM unnest($1::uuid[], $2::text[], $3::numeric[], $4::timestamptz[], $5::int[])
    AS u(id, status, total, calculated_at, version)
  WHERE o.id = u.id AND o.version = u.version
  RETURNING o.id`;

/** The changed orders of one transaction, written with one versioned UPDATE at commit. */
export class PendingSaves implements DeferredWrites {
  private readonly orders = new Map<string, Order>();

  add(order: Order): void {
    this.orders.set(order.id, order);
  }

  statement(): DeferredStatement | null {
    if (this.orders.size === 0) return null;
    const snapshots = [...this.orders.values()].map((order) => order.toSnapshot());
    this.orders.clear();
    return {
      sql: UPDATE_ORDERS,
      parameters: [
        snapshots.map((s) => s.id),
        snapshots.map((s) => s.status),
        snapshots.map((s) => s.total),
        snapshots.map((s) => s.calculatedAt),
        snapshots.map((s) => s.version),
      ],
      returned: (updated) => {
        const moved = new Set(updated.map((row) => row.id));
        const stale = snapshots.find((snapshot) => !moved.has(snapshot.id));
        if (stale) throw new ConcurrentModificationError(stale.id, stale.version);
      },
    };
  }
}
