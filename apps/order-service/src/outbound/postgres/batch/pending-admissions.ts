import type { Order, OrderAdmission, OrderSnapshot } from '@app/ordering';
import type { EntityManager } from 'typeorm';
import type { DeferredWrites } from './deferred-statement.js';

/*
 * Every order of the batch and all their lines go in with one statement: the lines' insert joins the
 * orders' insert, so a duplicate (ON CONFLICT DO NOTHING) writes no line either. Rows keep the order
 * of the batch (ROWS FROM … WITH ORDINALITY), so when two deliveries carry the same externalId the
 * first one wins, as it would one at a time. Orders and lines travel as two JSON parameters: no
 * per-element array escaping in the driver, and Postgres parses each in one pass.
 */
const INSERT_ORDERS_WITH_LINES = `
  WITH o AS (
    SELECT * FROM ROWS FROM (
      json_to_recordset($1::json) AS (id uuid, external_id text, customer_id text, currency text, placed_at timestamptz,
                                      status text, total numeric, item_count int, fingerprint text,
                                      correlation_id text, received_at timestamptz, calculated_at timestamptz, version int)
    ) WITH ORDINALITY AS o(id, external_id, customer_id, currency, placed_at, status, total, item_count, fingerprint,
                           correlation_id, received_at, calculated_at, version, position)
  ), inserted AS (
    INSERT INTO orders (id, external_id, customer_id, currency, placed_at, status, total, item_count,
                        fingerprint, correlation_id, received_at, calculated_at, updated_at, version)
    SELECT id, external_id, customer_id, currency, placed_at, status, total, item_count,
           fingerprint, correlation_id, received_at, calculated_at, received_at, version
    FROM o ORDER BY position
    ON CONFLICT (external_id) DO NOTHING
    RETURNING id
  ), lines AS (
    INSERT INTO order_lines (order_id, line_no, product_id, name, unit_price, quantity)
    SELECT l.order_id, l.line_no, l.product_id, l.name, l.unit_price, l.quantity
    FROM json_to_recordset($2::json)
      AS l(order_id uuid, line_no int, product_id text, name text, unit_price numeric, quantity int)
    JOIN inserted ON inserted.id = l.order_id
  )
  SELECT id FROM inserted`;

/** The known order behind each externalId that was not inserted: committed, or earlier in this batch. */
const EXISTING = `SELECT id, external_id, fingerprint FROM orders WHERE external_id = ANY($1::text[])`;

interface Waiting {
  readonly order: Order;
  readonly resolve: (admission: OrderAdmission) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Admits the orders that the items of one transaction add, together: every `add` made before the
 * event loop turns joins the same statement (the DataLoader idea), and each gets its own answer.
 */
export class PendingAdmissions implements DeferredWrites {
  private waiting: Waiting[] = [];
  private inserting: Promise<void> | null = null;

  constructor(private readonly manager: EntityManager) {}

  admit(order: Order): Promise<OrderAdmission> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ order, resolve, reject });
      this.inserting ??= new Promise<void>((next) => setImmediate(next)).then(() => this.insertWaiting());
    });
  }

  /** Admissions are answered while the work runs; by commit time nothing is left to write. */
  async settle(): Promise<void> {
    await this.inserting;
  }

  statement(): null {
    return null;
  }

  private async insertWaiting(): Promise<void> {
    const batch = this.waiting;
    this.waiting = [];
    this.inserting = null;
    try {
      const admissions = await this.insert(batch.map(({ order }) => order));
      batch.forEach(({ resolve }, index) => resolve(admissions[index]));
    } catch (error) {
      batch.forEach(({ reject }) => reject(error));
    }
  }

  private async insert(orders: Order[]): Promise<OrderAdmission[]> {
    const snapshots = orders.map((order) => order.toSnapshot());
    const inserted: { id: string }[] = await this.manager.query(INSERT_ORDERS_WITH_LINES, [
      JSON.stringify(snapshots.map(orderRow)),
      JSON.stringify(snapshots.flatMap(lineRows)),
    ]);
    const admitted = new Set(inserted.map((row) => row.id));
    const known = await this.existing(orders.filter((order) => !admitted.has(order.id)));
    return orders.map((order): OrderAdmission => {
      if (admitted.has(order.id)) return { admitted: true };
      const existing = known.get(order.externalId);
      if (!existing) throw new Error(`Order ${order.externalId} was neither inserted nor found`);
      return { admitted: false, existingOrderId: existing.id, existingFingerprint: existing.fingerprint };
    });
  }

  /** The conflicting rows are visible by now: ON CONFLICT waited for their transactions to end. */
  private async existing(orders: Order[]): Promise<Map<string, { id: string; fingerprint: string }>> {
    if (orders.length === 0) return new Map();
    const rows: { id: string; external_id: string; fingerprint: string }[] = await this.manager.query(EXISTING, [
      orders.map((order) => order.externalId),
    ]);
    return new Map(rows.map((row) => [row.external_id, { id: row.id, fingerprint: row.fingerprint }]));
  }
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
