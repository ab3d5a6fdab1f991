import { Injectable } from '@nestjs/common';
import { type Order, type OrderAdmission, OrderNotFoundError, OrderRepository } from '@app/ordering';
import type { EntityManager } from 'typeorm';
import { PendingAdmissions } from './batch/pending-admissions.js';
import { PendingLoads } from './batch/pending-loads.js';
import { PendingSaves } from './batch/pending-saves.js';
import { OrderMapper, type OrderRow } from './order.mapper.js';
import { type TransactionScope, TypeOrmUnitOfWork } from './typeorm-unit-of-work.js';

@Injectable()
export class TypeOrmOrderRepository extends OrderRepository {
  private readonly admissionsKey = {};
  private readonly savesKey = {};
  private readonly loadsKey = {};

  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  /** Answered with the other adds of this transaction in one read; written at commit (see PendingAdmissions). */
  async add(order: Order): Promise<OrderAdmission> {
    return this.unitOfWork.inScope(async (scope) => {
      const admission = await this.admissionsOf(scope).admit(order);
      if (admission.admitted) {
        scope.written = true;
        // The order is this transaction's now: CalculateOrder finds it without a query.
        scope.loaded.set(order.id, order);
      }
      return admission;
    });
  }

  /**
   * The order as this transaction sees it: loaded once (with its lines, in one statement shared by
   * every item of the transaction that asks before the event loop turns), then the same instance.
   */
  getById(orderId: string): Promise<Order> {
    return this.unitOfWork.inScope(async (scope) => {
      const loaded = scope.loaded.get(orderId);
      if (loaded) return loaded;
      const loads = scope.shared(
        this.loadsKey,
        () => new PendingLoads<string, Order>((ids) => loadOrders(scope.manager, ids)),
      );
      const order = await loads.get(orderId);
      if (!order) throw new OrderNotFoundError(orderId);
      if (!scope.loaded.has(orderId)) scope.loaded.set(orderId, order);
      return scope.loaded.get(orderId)!;
    });
  }

  /**
   * Deferred to the commit, with every other change of the transaction (see PendingSaves); an order
   * this transaction admitted is inserted then as it is, so there is nothing to update.
   */
  save(order: Order): Promise<void> {
    return this.unitOfWork.inScope((scope) => {
      if (!this.admissionsOf(scope).admits(order)) scope.defer(this.savesKey, () => new PendingSaves()).add(order);
      return Promise.resolve();
    });
  }

  private admissionsOf(scope: TransactionScope): PendingAdmissions {
    return scope.shared(this.admissionsKey, () => new PendingAdmissions(scope.manager));
  }

  async listAfter(afterId: string | null, limit: number): Promise<Order[]> {
    const rows = await this.unitOfWork.manager().query<OrderRow[]>(ORDERS_AFTER, [afterId, limit]);
    return rows.map((row) => OrderMapper.fromRow(row));
  }
}

/* Each order with its lines as one JSON array, money as text: one row per order, one round trip for all. */
const ORDERS = `
  SELECT o.id, o.external_id, o.customer_id, o.currency, o.placed_at, o.status, o.total::text AS total,
         o.received_at, o.calculated_at, o.paid_at, o.shipped_at, o.delivered_at, o.cancelled_at, o.payment_id,
         o.version, o.fingerprint, o.correlation_id,
         (SELECT json_agg(json_build_object('lineNo', l.line_no, 'productId', l.product_id, 'name', l.name,
                                            'unitPrice', l.unit_price::text, 'quantity', l.quantity) ORDER BY l.line_no)
          FROM order_lines l WHERE l.order_id = o.id) AS lines
  FROM orders o`;
const ORDERS_BY_ID = `${ORDERS} WHERE o.id = ANY($1::uuid[])`;
const ORDERS_AFTER = `${ORDERS} WHERE $1::uuid IS NULL OR o.id > $1::uuid ORDER BY o.id LIMIT $2`;

async function loadOrders(manager: EntityManager, ids: string[]): Promise<Map<string, Order>> {
  const rows = await manager.query<OrderRow[]>(ORDERS_BY_ID, [ids]);
  return new Map(rows.map((row) => [row.id, OrderMapper.fromRow(row)]));
}
