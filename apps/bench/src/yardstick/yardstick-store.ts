import type pg from 'pg';
import type { CalculatedOrder } from './yardstick-order.js';

export interface StoredBatch {
  /** The orders this transaction admitted (a known externalId is a duplicate: no row, no message). */
  readonly admitted: readonly CalculatedOrder[];
  readonly outboxIds: readonly string[];
}

/** Order, lines, read row and outbox row of every new order in the batch, in one transaction. */
export async function storeBatch(pool: pg.Pool, orders: readonly CalculatedOrder[]): Promise<StoredBatch> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const inserted = await client.query<{ order_id: string }>(
      `INSERT INTO yardstick_orders (order_id, external_id, customer_id, currency, total, status)
       SELECT *, 'CALCULATED' FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::numeric[])
       ON CONFLICT (external_id) DO NOTHING RETURNING order_id`,
      [
        orders.map((order) => order.orderId),
        orders.map((order) => order.externalId),
        orders.map((order) => order.customerId),
        orders.map((order) => order.currency),
        orders.map((order) => order.total),
      ],
    );
    const admittedIds = new Set(inserted.rows.map((row) => row.order_id));
    const admitted = orders.filter((order) => admittedIds.has(order.orderId));
    const lines = admitted.flatMap((order) => order.lines.map((line, index) => ({ order, line, index })));
    await client.query(
      `INSERT INTO yardstick_lines (order_id, line_no, product_id, name, unit_price, quantity)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::numeric[], $6::int[])`,
      [
        lines.map(({ order }) => order.orderId),
        lines.map(({ index }) => index),
        lines.map(({ line }) => line.productId),
        lines.map(({ line }) => line.name),
        lines.map(({ line }) => line.unitPrice),
        lines.map(({ line }) => line.quantity),
      ],
    );
    await client.query(
      `INSERT INTO yardstick_views (order_id, external_id, customer_id, status, currency, total, document)
       SELECT order_id, external_id, customer_id, 'CALCULATED', currency, total, document
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::numeric[], $6::json[])
         AS v(order_id, external_id, customer_id, currency, total, document)`,
      [
        admitted.map((order) => order.orderId),
        admitted.map((order) => order.externalId),
        admitted.map((order) => order.customerId),
        admitted.map((order) => order.currency),
        admitted.map((order) => order.total),
        admitted.map((order) => order.message),
      ],
    );
    const outbox = await client.query<{ id: string }>(
      `INSERT INTO yardstick_outbox (event_id, payload)
       SELECT * FROM unnest($1::uuid[], $2::json[]) RETURNING id`,
      [admitted.map((order) => order.eventId), admitted.map((order) => order.message)],
    );
    await client.query('COMMIT');
    return { admitted, outboxIds: outbox.rows.map((row) => row.id) };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Published rows are kept and marked, as the service keeps them for audit. */
export async function markPublished(pool: pg.Pool, outboxIds: readonly string[]): Promise<void> {
  if (outboxIds.length === 0) return;
  await pool.query('UPDATE yardstick_outbox SET published_at = now() WHERE id = ANY($1::bigint[])', [outboxIds]);
}
