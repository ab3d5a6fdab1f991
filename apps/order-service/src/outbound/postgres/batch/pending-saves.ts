import { ConcurrentModificationError, type Order } from '@app/ordering';
import type { DeferredStatement, DeferredWrites } from './deferred-statement.js';

/**
 * Each row moves only from the version its change was made on; a row that moved meanwhile is missing.
 * The ids again as an array: the planner knows how many rows that finds and reads them by primary
 * key, where it takes json_to_recordset for 100 rows and scans a small table whole.
 */
const UPDATE_ORDERS = `
  UPDATE orders AS o
  SET status = u.status, total = u.total, calculated_at = u.calculated_at, paid_at = u.paid_at,
      shipped_at = u.shipped_at, delivered_at = u.delivered_at, cancelled_at = u.cancelled_at,
      payment_id = u.payment_id, updated_at = now(), version = u.version
  FROM json_to_recordset($1::json) AS u(id uuid, status text, total numeric, calculated_at timestamptz,
                                        paid_at timestamptz, shipped_at timestamptz, delivered_at timestamptz,
                                        cancelled_at timestamptz, payment_id text, version int, stored_version int)
  WHERE o.id = ANY($2::uuid[]) AND o.id = u.id AND o.version = u.stored_version
  RETURNING o.id`;

/** The changed orders of one transaction, written with one versioned UPDATE at commit. */
export class PendingSaves implements DeferredWrites {
  private readonly orders = new Map<string, Order>();

  add(order: Order): void {
    this.orders.set(order.id, order);
  }

  statement(): DeferredStatement | null {
    if (this.orders.size === 0) return null;
    const orders = [...this.orders.values()];
    this.orders.clear();
    return {
      sql: UPDATE_ORDERS,
      // One JSON parameter, instants as ISO text, like the admission insert's.
      parameters: [
        JSON.stringify(
          orders.map((order) => {
            const { paidAt, shippedAt, deliveredAt, cancelledAt, paymentId, ...snapshot } = order.toSnapshot();
            return {
              id: snapshot.id,
              status: snapshot.status,
              total: snapshot.total,
              calculated_at: snapshot.calculatedAt?.toISOString() ?? null,
              paid_at: paidAt?.toISOString() ?? null,
              shipped_at: shippedAt?.toISOString() ?? null,
              delivered_at: deliveredAt?.toISOString() ?? null,
              cancelled_at: cancelledAt?.toISOString() ?? null,
              payment_id: paymentId,
              version: snapshot.version,
              stored_version: order.storedVersion,
            };
          }),
        ),
        orders.map((order) => order.id),
      ],
      returned: (updated) => {
        const moved = new Set(updated.map((row) => row.id));
        const stale = orders.find((order) => !moved.has(order.id));
        if (stale) throw new ConcurrentModificationError(stale.id, stale.storedVersion);
      },
    };
  }
}
