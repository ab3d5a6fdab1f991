import { ConcurrentModificationError, type Order } from '@app/ordering';
import type { DeferredStatement, DeferredWrites } from './deferred-statement.js';

/** Each row moves only from the version its change was made on; a row that moved meanwhile is missing. */
const UPDATE_ORDERS = `
  UPDATE orders AS o
  SET status = u.status, total = u.total, calculated_at = u.calculated_at, updated_at = now(), version = o.version + 1
  FROM json_to_recordset($1::json) AS u(id uuid, status text, total numeric, calculated_at timestamptz, version int)
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
      // One JSON parameter, instants as ISO text, like the admission insert's.
      parameters: [
        JSON.stringify(
          snapshots.map((snapshot) => ({
            id: snapshot.id,
            status: snapshot.status,
            total: snapshot.total,
            calculated_at: snapshot.calculatedAt?.toISOString() ?? null,
            version: snapshot.version,
          })),
        ),
      ],
      returned: (updated) => {
        const moved = new Set(updated.map((row) => row.id));
        const stale = snapshots.find((snapshot) => !moved.has(snapshot.id));
        if (stale) throw new ConcurrentModificationError(stale.id, stale.version);
      },
    };
  }
}
