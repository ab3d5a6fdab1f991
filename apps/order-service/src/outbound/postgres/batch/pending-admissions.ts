import { ConcurrentModificationError, type Order, type OrderAdmission, type OrderSnapshot } from '@app/ordering';
import type { EntityManager } from 'typeorm';
import type { DeferredStatement, DeferredWrites } from './deferred-statement.js';
import { PendingLoads } from './pending-loads.js';
import { uniqueViolationOf } from '../postgres-errors.js';

/** The orders already stored under some externalIds: read while the work runs, in one statement per turn. */
const STORED = `SELECT id, external_id, fingerprint FROM orders WHERE external_id = ANY($1::text[])`;

/*
 * The admitted orders and all their lines, at commit, in the state the transaction left them: a new
 * order is written once, not inserted as received and updated as calculated. An externalId that
 * another transaction committed meanwhile is not inserted (ON CONFLICT waits for that transaction),
 * and its lines join only the orders that were. Orders and lines travel as two JSON parameters: no
 * per-element array escaping in the driver, and Postgres parses each in one pass.
 */
const INSERT_ORDERS = `
  INSERT INTO orders (id, external_id, customer_id, currency, placed_at, status, total, item_count,
                      fingerprint, correlation_id, received_at, calculated_at, paid_at, shipped_at,
                      delivered_at, cancelled_at, payment_id, updated_at, version)
  SELECT id, external_id, customer_id, currency, placed_at, status, total, item_count,
         fingerprint, correlation_id, received_at, calculated_at, paid_at, shipped_at,
         delivered_at, cancelled_at, payment_id, now(), version
  FROM json_to_recordset($1::json) AS o(id uuid, external_id text, customer_id text, currency text,
                                        placed_at timestamptz, status text, total numeric, item_count int,
                                        fingerprint text, correlation_id text, received_at timestamptz,
                                        calculated_at timestamptz, paid_at timestamptz, shipped_at timestamptz,
                                        delivered_at timestamptz, cancelled_at timestamptz, payment_id text,
                                        version int)
  ON CONFLICT (external_id) DO NOTHING
  RETURNING id`;
const INSERT_LINES = (inserted: string) => `
  INSERT INTO order_lines (order_id, line_no, product_id, name, unit_price, quantity)
  SELECT l.order_id, l.line_no, l.product_id, l.name, l.unit_price, l.quantity
  FROM json_to_recordset($2::json)
    AS l(order_id uuid, line_no int, product_id text, name text, unit_price numeric, quantity int)
  JOIN ${inserted} ON ${inserted}.id = l.order_id`;

/** The read table's externalId is unique too, and its upsert resolves only a clash on the order id. */
const READ_ROW_EXTERNAL_ID_KEY = 'order_views_external_id_key';

interface StoredOrder {
  readonly id: string;
  readonly fingerprint: string;
}

/**
 * The orders that the items of one transaction add. Each is answered while the work runs: known
 * if its externalId is stored or was admitted earlier in this transaction (the first one wins, as
 * one at a time), else admitted. The admitted are written at commit; if another transaction stored
 * one of their externalIds first, the commit fails with ConcurrentModificationError (see `explain`)
 * and the work runs again, to find it stored.
 */
export class PendingAdmissions implements DeferredWrites {
  private readonly stored: PendingLoads<string, StoredOrder>;
  private readonly admitted = new Map<string, Order>();
  private inserted: readonly Order[] = [];

  constructor(manager: EntityManager) {
    this.stored = new PendingLoads((externalIds) => storedOrders(manager, externalIds));
  }

  async admit(order: Order): Promise<OrderAdmission> {
    const known = (await this.stored.get(order.externalId)) ?? this.admitted.get(order.externalId);
    if (!known) {
      this.admitted.set(order.externalId, order);
      return { admitted: true };
    }
    return { admitted: false, existingOrderId: known.id, existingFingerprint: known.fingerprint };
  }

  /** Whether the transaction writes this order as new, with this statement. */
  admits(order: Order): boolean {
    return this.admitted.get(order.externalId) === order;
  }

  settle(): Promise<void> {
    return this.stored.settle();
  }

  statement(): DeferredStatement | null {
    if (this.admitted.size === 0) return null;
    const orders = [...this.admitted.values()];
    this.admitted.clear();
    this.inserted = orders;
    const snapshots = orders.map((order) => order.toSnapshot());
    return {
      sql: INSERT_ORDERS,
      parameters: [JSON.stringify(snapshots.map(orderRow)), JSON.stringify(snapshots.flatMap(lineRows))],
      dependent: INSERT_LINES,
      returned: (rows) => {
        const inserted = new Set(rows.map((row) => row.id));
        const raced = orders.find((order) => !inserted.has(order.id));
        if (raced) throw new ConcurrentModificationError(raced.id);
      },
    };
  }

  /**
   * An externalId another transaction committed first: the insert skips the order, but its read row,
   * written beside it, clashes with the other's on the read table, failing the statement first.
   */
  explain(error: unknown): ConcurrentModificationError | undefined {
    const violation = uniqueViolationOf(error);
    if (violation?.constraint !== READ_ROW_EXTERNAL_ID_KEY || this.inserted.length === 0) return undefined;
    const raced = this.inserted.find((order) => violation.detail.includes(`=(${order.externalId})`));
    return new ConcurrentModificationError((raced ?? this.inserted[0]).id);
  }
}

async function storedOrders(manager: EntityManager, externalIds: string[]): Promise<Map<string, StoredOrder>> {
  const rows: { id: string; external_id: string; fingerprint: string }[] = await manager.query(STORED, [externalIds]);
  return new Map(rows.map((row) => [row.external_id, { id: row.id, fingerprint: row.fingerprint }]));
}

/**
 * A row of `orders` as json_to_recordset reads it: keys named as the columns, instants as ISO text
 * (a Date makes JSON.stringify call its toJSON and leave its fast path).
 */
function orderRow(snapshot: OrderSnapshot) {
  return {
    id: snapshot.id,
    external_id: snapshot.externalId,
    customer_id: snapshot.customerId,
    currency: snapshot.currency,
    placed_at: snapshot.placedAt?.toISOString() ?? null,
    status: snapshot.status,
    total: snapshot.total,
    item_count: snapshot.lines.length,
    fingerprint: snapshot.fingerprint,
    correlation_id: snapshot.correlationId,
    received_at: snapshot.receivedAt.toISOString(),
    calculated_at: snapshot.calculatedAt?.toISOString() ?? null,
    paid_at: snapshot.paidAt?.toISOString() ?? null,
    shipped_at: snapshot.shippedAt?.toISOString() ?? null,
    delivered_at: snapshot.deliveredAt?.toISOString() ?? null,
    cancelled_at: snapshot.cancelledAt?.toISOString() ?? null,
    payment_id: snapshot.paymentId,
    version: snapshot.version,
  };
}

function lineRows({ id, lines }: OrderSnapshot) {
  return lines.map((line) => ({
    order_id: id,
    line_no: line.lineNo,
    product_id: line.productId,
    name: line.name,
    unit_price: line.unitPrice,
    quantity: line.quantity,
  }));
}
