import { Injectable } from '@nestjs/common';
import { type Order, type OrderAdmission, OrderNotFoundError, OrderRepository } from '@app/ordering';
import { In } from 'typeorm';
import { PendingAdmissions } from './batch/pending-admissions.js';
import { PendingSaves } from './batch/pending-saves.js';
import { OrderMapper } from './order.mapper.js';
import { OrderLineOrmEntity } from './order-line.orm-entity.js';
import { OrderOrmEntity } from './order.orm-entity.js';
import { TypeOrmUnitOfWork } from './typeorm-unit-of-work.js';

@Injectable()
export class TypeOrmOrderRepository extends OrderRepository {
  private readonly admissionsKey = {};
  private readonly savesKey = {};

  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  /** Joins the other adds of this transaction in one statement (see PendingAdmissions). */
  async add(order: Order): Promise<OrderAdmission> {
    return this.unitOfWork.inScope(async (scope) => {
      const admissions = scope.shared(this.admissionsKey, () => new PendingAdmissions(scope.manager));
      const admission = await admissions.admit(order);
      if (admission.admitted) {
        scope.written = true;
        // The order is this transaction's now: CalculateOrder finds it without a query.
        scope.loaded.set(order.id, order);
      }
      return admission;
    });
  }

  async getById(orderId: string): Promise<Order> {
    const loaded = this.unitOfWork.current()?.loaded.get(orderId);
    if (loaded) return loaded;
    const manager = this.unitOfWork.manager();
    const row = await manager.findOneBy(OrderOrmEntity, { id: orderId });
    if (!row) throw new OrderNotFoundError(orderId);
    const lines = await manager.findBy(OrderLineOrmEntity, { orderId });
    const order = OrderMapper.toDomain(row, lines);
    this.unitOfWork.current()?.loaded.set(orderId, order);
    return order;
  }

  /** Deferred to the commit, with every other change of the transaction (see PendingSaves). */
  save(order: Order): Promise<void> {
    return this.unitOfWork.inScope((scope) => {
      scope.defer(this.savesKey, () => new PendingSaves()).add(order);
      return Promise.resolve();
    });
  }

  async listAfter(afterId: string | null, limit: number): Promise<Order[]> {
    const manager = this.unitOfWork.manager();
    const rows = await manager
      .createQueryBuilder(OrderOrmEntity, 'o')
      .where(afterId === null ? 'TRUE' : 'o.id > :afterId', { afterId })
      .orderBy('o.id')
      .limit(limit)
      .getMany();
    if (rows.length === 0) return [];
    const lines = await manager.findBy(OrderLineOrmEntity, { orderId: In(rows.map((row) => row.id)) });
    const linesByOrder = new Map(rows.map((row) => [row.id, [] as OrderLineOrmEntity[]]));
    for (const line of lines) linesByOrder.get(line.orderId)?.push(line);
    return rows.map((row) => OrderMapper.toDomain(row, linesByOrder.get(row.id) ?? []));
  }
}
