import { Injectable } from '@nestjs/common';
import {
  ConcurrentModificationError,
  type Order,
  type OrderAdmission,
  OrderNotFoundError,
  OrderRepository,
} from '@app/ordering';
import { In } from 'typeorm';
import { OrderMapper } from './order.mapper.js';
import { OrderLineOrmEntity } from './order-line.orm-entity.js';
import { OrderOrmEntity } from './order.orm-entity.js';
import { TypeOrmUnitOfWork } from './typeorm-unit-of-work.js';

/*
 * The order and all its lines go in with one statement: the lines' insert reads from the order's
 * insert, so a duplicate (ON CONFLICT DO NOTHING) writes no line either. Arrays through unnest keep
 * the parameter count fixed whatever the number of lines (up to 1000).
 */
const INSERT_ORDER_WITH_LINES = `
  WITH inserted AS (
    INSERT INTO orders (id, external_id, customer_id, currency, placed_at, status, total, item_count,
                        fingerprint, correlation_id, received_at, calculated_at, updated_at, version)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $11, $13)
    ON CONFLICT (external_id) DO NOTHING
    RETURNING id
  ), lines AS (
    INSERT INTO order_lines (order_id, line_no, product_id, name, unit_price, quantity)
    SELECT inserted.id, l.line_no, l.product_id, l.name, l.unit_price, l.quantity
    FROM inserted
    CROSS JOIN unnest($14::int[], $15::text[], $16::text[], $17::numeric[], $18::int[])
      AS l(line_no, product_id, name, unit_price, quantity)
  )
  SELECT id FROM inserted`;

const UPDATE_ORDER = `
  UPDATE orders
  SET status = $2, total = $3, calculated_at = $4, updated_at = now(), version = version + 1
  WHERE id = $1 AND version = $5`;

@Injectable()
export class TypeOrmOrderRepository extends OrderRepository {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  async add(order: Order): Promise<OrderAdmission> {
    const manager = this.unitOfWork.manager();
    const snapshot = order.toSnapshot();
    const inserted: unknown[] = await manager.query(INSERT_ORDER_WITH_LINES, [
      snapshot.id,
      snapshot.externalId,
      snapshot.customerId,
      snapshot.currency,
      snapshot.placedAt,
      snapshot.status,
      snapshot.total,
      snapshot.lines.length,
      snapshot.fingerprint,
      snapshot.correlationId,
      snapshot.receivedAt,
      snapshot.calculatedAt,
      snapshot.version,
      snapshot.lines.map((line) => line.lineNo),
      snapshot.lines.map((line) => line.productId),
      snapshot.lines.map((line) => line.name),
      snapshot.lines.map((line) => line.unitPrice),
      snapshot.lines.map((line) => line.quantity),
    ]);
    if (inserted.length === 1) {
      this.unitOfWork.current()?.loaded.set(order.id, order);
      return { admitted: true };
    }
    // The conflicting row is committed by now: ON CONFLICT waited for its transaction to end.
    const existing = await manager.findOneOrFail(OrderOrmEntity, {
      where: { externalId: snapshot.externalId },
      select: { id: true, fingerprint: true },
    });
    return { admitted: false, existingOrderId: existing.id, existingFingerprint: existing.fingerprint };
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

  async save(order: Order): Promise<void> {
    const manager = this.unitOfWork.manager();
    const snapshot = order.toSnapshot();
    // For UPDATE, TypeORM answers [rows, affected row count].
    const [, updated] = await manager.query<[unknown[], number]>(UPDATE_ORDER, [
      snapshot.id,
      snapshot.status,
      snapshot.total,
      snapshot.calculatedAt,
      snapshot.version,
    ]);
    if (updated !== 1) throw new ConcurrentModificationError(snapshot.id, snapshot.version);
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
