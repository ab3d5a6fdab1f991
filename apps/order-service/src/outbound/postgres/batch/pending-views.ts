import type { OrderView } from '@app/ordering';
import type { EntityManager } from 'typeorm';
import type { DeferredWrites } from '../typeorm-unit-of-work.js';

/*
 * An older state never replaces a newer one: a row moves forward in time, and at the same instant
 * CALCULATED wins over RECEIVED (false < true). That makes a rebuild safe beside live projections.
 */
const UPSERT_VIEWS = `
  INSERT INTO order_views (order_id, external_id, customer_id, status, currency, total, received_at, updated_at, document)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[],
                       $7::timestamptz[], $8::timestamptz[], $9::json[])
  ON CONFLICT (order_id) DO UPDATE
  SET status = EXCLUDED.status, total = EXCLUDED.total, updated_at = EXCLUDED.updated_at, document = EXCLUDED.document
  WHERE (order_views.updated_at, order_views.status = 'CALCULATED') <= (EXCLUDED.updated_at, EXCLUDED.status = 'CALCULATED')`;

/** The read rows of one transaction, last state per order (an upsert may touch a row only once). */
export class PendingViews implements DeferredWrites {
  private readonly views = new Map<string, OrderView>();

  add(view: OrderView): void {
    this.views.set(view.orderId, view);
  }

  async flush(manager: EntityManager): Promise<void> {
    if (this.views.size === 0) return;
    const views = [...this.views.values()];
    this.views.clear();
    await manager.query(UPSERT_VIEWS, [
      views.map((view) => view.orderId),
      views.map((view) => view.externalId),
      views.map((view) => view.customerId),
      views.map((view) => view.status),
      views.map((view) => view.currency),
      views.map((view) => view.total),
      views.map((view) => view.receivedAt),
      views.map((view) => view.updatedAt),
      views.map((view) => JSON.stringify(view)),
    ]);
  }
}
