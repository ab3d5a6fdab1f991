import { Injectable } from '@nestjs/common';
import { Environment } from '../../config/environment.js';
import {
  type OrderView,
  type OrderViewFilter,
  type OrderViewPage,
  type OrderViewPosition,
  type RenderedOrderView,
  type ReceivedRange,
  OrderStatus,
  OrderViewStore,
  type StoredOrderStatistics,
} from '@app/ordering';
import { PendingViews } from './batch/pending-views.js';
import { DAILY_STATISTICS_OF_VIEWS, STATISTICS_OF_RANGE } from './order-statistics.sql.js';
import { TypeOrmUnitOfWork } from './typeorm-unit-of-work.js';

/** A WHERE clause with numbered parameters, built only from the filters that are set. */
class Conditions {
  readonly clauses: string[] = [];
  readonly parameters: unknown[] = [];

  add(clause: (...placeholders: string[]) => string, ...values: unknown[]): void {
    const placeholders = values.map((value) => `$${this.parameters.push(value)}`);
    this.clauses.push(clause(...placeholders));
  }

  toSql(): string {
    return this.clauses.length === 0 ? '' : `WHERE ${this.clauses.join(' AND ')}`;
  }
}

function conditionsFor(filter: OrderViewFilter): Conditions {
  const conditions = new Conditions();
  if (filter.status !== undefined) conditions.add((p) => `status = ${p}`, filter.status);
  if (filter.customerId !== undefined) conditions.add((p) => `customer_id = ${p}`, filter.customerId);
  if (filter.externalId !== undefined) conditions.add((p) => `external_id = ${p}`, filter.externalId);
  if (filter.receivedFrom !== undefined) conditions.add((p) => `received_at >= ${p}`, filter.receivedFrom);
  if (filter.receivedTo !== undefined) conditions.add((p) => `received_at < ${p}`, filter.receivedTo);
  return conditions;
}

interface ListedRow {
  document: OrderView;
  received_at: Date;
  order_id: string;
  /** The rows the keyset query found: one more than the limit when another page follows. */
  found: string;
}

/** Settings of the read table's adapter: bytes of order documents per page of GET /orders. */
export class OrderViewStoreSettings {
  constructor(readonly pageMaxBytes: number = new Environment().HTTP_PAGE_MAX_BYTES) {}
}

@Injectable()
export class TypeOrmOrderViewStore extends OrderViewStore {
  private readonly pendingKey = {};

  constructor(
    private readonly unitOfWork: TypeOrmUnitOfWork,
    private readonly settings: OrderViewStoreSettings = new OrderViewStoreSettings(),
  ) {
    super();
  }

  /** Deferred to the commit, one upsert for every row the transaction touched (see PendingViews). */
  save(view: OrderView): Promise<void> {
    return this.unitOfWork.inScope((scope) => {
      scope.defer(this.pendingKey, () => new PendingViews()).add(view);
      return Promise.resolve();
    });
  }

  /** The document as the text it was stored with (`json` keeps it): nothing to parse, nothing to serialize. */
  async findById(orderId: string): Promise<RenderedOrderView | null> {
    const rows = await this.unitOfWork.query<RenderedOrderView>(
      'SELECT version, document::text AS json FROM order_views WHERE order_id = $1',
      [orderId],
    );
    return rows[0] ?? null;
  }

  async list(filter: OrderViewFilter, limit: number, after: OrderViewPosition | null): Promise<OrderViewPage> {
    const conditions = conditionsFor(filter);
    if (after) {
      conditions.add((at, id) => `(received_at, order_id) < (${at}, ${id})`, after.receivedAt, after.orderId);
    }
    // One row more than asked tells whether another page follows, without a count. Of those, the
    // page keeps the orders whose documents fit pageMaxBytes together (the first one always), and
    // Postgres drops the rest before sending anything: a page of 500 orders of 1000 lines each
    // would otherwise be hundreds of megabytes.
    const limitParameter = conditions.parameters.length + 1;
    const rows = await this.unitOfWork.query<ListedRow>(
      `SELECT document, received_at, order_id, found FROM (
         SELECT document, received_at, order_id, count(*) OVER () AS found,
                sum(octet_length(document::text)) OVER (ORDER BY received_at DESC, order_id DESC ROWS UNBOUNDED PRECEDING) AS through,
                row_number() OVER (ORDER BY received_at DESC, order_id DESC) AS position
         FROM (SELECT document, received_at, order_id FROM order_views ${conditions.toSql()}
               ORDER BY received_at DESC, order_id DESC LIMIT $${limitParameter}) AS keyset
       ) AS sized
       WHERE position = 1 OR through <= $${limitParameter + 1}
       ORDER BY received_at DESC, order_id DESC`,
      [...conditions.parameters, limit + 1, this.settings.pageMaxBytes],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const more = rows.length > 0 && page.length < Number(rows[0].found);
    return {
      data: page.map((row) => row.document),
      next: more ? { receivedAt: last.received_at, orderId: last.order_id } : null,
    };
  }

  async statistics(range: ReceivedRange): Promise<StoredOrderStatistics> {
    const rows = await this.unitOfWork.query<{ status: string; currency: string; count: string; total: string }>(
      STATISTICS_OF_RANGE,
      statisticsParameters(range),
    );
    const countsByStatus = new Map<string, number>();
    const totalsByCurrency: { currency: string; total: string }[] = [];
    for (const row of rows) {
      countsByStatus.set(row.status, (countsByStatus.get(row.status) ?? 0) + Number(row.count));
      if (row.status !== OrderStatus.Received) totalsByCurrency.push({ currency: row.currency, total: row.total });
    }
    return {
      countsByStatus: [...countsByStatus].map(([status, count]) => ({ status, count })),
      totalsByCurrency: totalsByCurrency.sort((a, b) => a.currency.localeCompare(b.currency)),
    };
  }

  /** Recomputes the daily figures from the read table, writers held off meanwhile (they wait, they do not fail). */
  async rebuildStatistics(): Promise<void> {
    await this.unitOfWork.query('LOCK TABLE order_views IN SHARE MODE', []);
    await this.unitOfWork.query('DELETE FROM order_statistics_daily', []);
    await this.unitOfWork.query(
      `INSERT INTO order_statistics_daily (day, status, currency, shard, orders, total)
       SELECT day, status, currency, 0, orders, total FROM (${DAILY_STATISTICS_OF_VIEWS}) AS recomputed`,
      [],
    );
  }
}

const DAY_MS = 86_400_000;

/**
 * Splits [receivedFrom, receivedTo) into whole UTC days, answered from the daily figures, and the
 * partial days at either edge, scanned row by row (see STATISTICS_OF_RANGE).
 */
function statisticsParameters({ receivedFrom, receivedTo }: ReceivedRange): unknown[] {
  const firstWholeDay = receivedFrom && Math.ceil(receivedFrom.getTime() / DAY_MS) * DAY_MS;
  const endOfWholeDays = receivedTo && Math.floor(receivedTo.getTime() / DAY_MS) * DAY_MS;
  if (firstWholeDay !== undefined && endOfWholeDays !== undefined && firstWholeDay >= endOfWholeDays) {
    return [false, null, null, receivedFrom, receivedTo, null, null];
  }
  const day = (milliseconds: number | undefined) =>
    milliseconds === undefined ? null : new Date(milliseconds).toISOString().slice(0, 10);
  return [
    true,
    day(firstWholeDay),
    day(endOfWholeDays),
    receivedFrom ?? null,
    firstWholeDay === undefined ? null : new Date(firstWholeDay),
    endOfWholeDays === undefined ? null : new Date(endOfWholeDays),
    receivedTo ?? null,
  ];
}
