import { Injectable } from '@nestjs/common';
import {
  type OrderView,
  type OrderViewFilter,
  type OrderViewPage,
  type OrderViewPosition,
  OrderStatus,
  OrderViewStore,
  type StoredOrderStatistics,
} from '@app/ordering';
import { PendingViews } from './batch/pending-views.js';
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
}

@Injectable()
export class TypeOrmOrderViewStore extends OrderViewStore {
  private readonly pendingKey = {};

  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  /** Deferred to the commit, one upsert for every row the transaction touched (see PendingViews). */
  save(view: OrderView): Promise<void> {
    return this.unitOfWork.inScope((scope) => {
      scope.defer(this.pendingKey, () => new PendingViews()).add(view);
      return Promise.resolve();
    });
  }

  async findById(orderId: string): Promise<OrderView | null> {
    const rows = await this.unitOfWork.query<{ document: OrderView }>(
      'SELECT document FROM order_views WHERE order_id = $1',
      [orderId],
    );
    return rows.length === 0 ? null : rows[0].document;
  }

  async list(filter: OrderViewFilter, limit: number, after: OrderViewPosition | null): Promise<OrderViewPage> {
    const conditions = conditionsFor(filter);
    if (after) {
      conditions.add((at, id) => `(received_at, order_id) < (${at}, ${id})`, after.receivedAt, after.orderId);
    }
    // One row more than asked tells whether another page follows, without a count.
    const rows = await this.unitOfWork.query<ListedRow>(
      `SELECT document, received_at, order_id FROM order_views ${conditions.toSql()}
       ORDER BY received_at DESC, order_id DESC LIMIT $${conditions.parameters.length + 1}`,
      [...conditions.parameters, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      data: page.map((row) => row.document),
      next: rows.length > limit ? { receivedAt: last.received_at, orderId: last.order_id } : null,
    };
  }

  async statistics(filter: OrderViewFilter): Promise<StoredOrderStatistics> {
    const conditions = conditionsFor(filter);
    const rows = await this.unitOfWork.query<{ status: string; currency: string; count: string; total: string | null }>(
      `SELECT status, currency, count(*) AS count, sum(total)::text AS total
       FROM order_views ${conditions.toSql()} GROUP BY status, currency`,
      conditions.parameters,
    );
    const countsByStatus = new Map<string, number>();
    const totalsByCurrency: { currency: string; total: string }[] = [];
    for (const row of rows) {
      countsByStatus.set(row.status, (countsByStatus.get(row.status) ?? 0) + Number(row.count));
      if (row.status === OrderStatus.Calculated && row.total !== null) {
        totalsByCurrency.push({ currency: row.currency, total: row.total });
      }
    }
    return {
      countsByStatus: [...countsByStatus].map(([status, count]) => ({ status, count })),
      totalsByCurrency: totalsByCurrency.sort((a, b) => a.currency.localeCompare(b.currency)),
    };
  }
}
