import type { OrderView } from '@app/ordering';
import type { DeferredStatement, DeferredWrites } from './deferred-statement.js';

/*
 * An older state never replaces a newer one: a row only moves to the same version or a later one.
 * That makes a rebuild safe beside live projections.
 */
const UPSERT_VIEWS = `
  INSERT INTO order_views (order_id, external_id, customer_id, status, currency, total, received_at, updated_at,
                           version, document)
  SELECT order_id, external_id, customer_id, status, currency, total, received_at, updated_at, version, document
  FROM json_to_recordset($1::json) AS v(order_id uuid, external_id text, customer_id text, status text, currency text,
                                         total numeric, received_at timestamptz, updated_at timestamptz, version int,
                                         document json)
  ON CONFLICT (order_id) DO UPDATE
  SET status = EXCLUDED.status, total = EXCLUDED.total, updated_at = EXCLUDED.updated_at, version = EXCLUDED.version,
      document = EXCLUDED.document
  WHERE order_views.version <= EXCLUDED.version`;

/** The read rows of one transaction, last state per order (an upsert may touch a row only once). */
export class PendingViews implements DeferredWrites {
  private readonly views = new Map<string, OrderView>();

  add(view: OrderView): void {
    this.views.set(view.orderId, view);
  }

  statement(): DeferredStatement | null {
    if (this.views.size === 0) return null;
    const views = [...this.views.values()];
    this.views.clear();
    // One JSON parameter: the documents go in as they are, with no per-element array escaping.
    const rows = views.map((view) => ({
      order_id: view.orderId,
      external_id: view.externalId,
      customer_id: view.customerId,
      status: view.status,
      currency: view.currency,
      total: view.total,
      received_at: view.receivedAt,
      updated_at: view.updatedAt,
      version: view.version,
      document: view,
    }));
    return { sql: UPSERT_VIEWS, parameters: [JSON.stringify(rows)] };
  }
}
