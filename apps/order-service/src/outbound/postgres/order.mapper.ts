import { Order, type OrderSnapshot } from '@app/ordering';
import type { OrderLineOrmEntity } from './order-line.orm-entity.js';
import type { OrderOrmEntity } from './order.orm-entity.js';

/** Between the aggregate and its rows: the only place that knows both shapes. */
export const OrderMapper = {
  toDomain(row: OrderOrmEntity, lines: OrderLineOrmEntity[]): Order {
    const snapshot: OrderSnapshot = {
      id: row.id,
      externalId: row.externalId,
      customerId: row.customerId,
      currency: row.currency,
      placedAt: row.placedAt,
      status: row.status as OrderSnapshot['status'],
      total: row.total,
      receivedAt: row.receivedAt,
      calculatedAt: row.calculatedAt,
      paidAt: row.paidAt,
      shippedAt: row.shippedAt,
      deliveredAt: row.deliveredAt,
      cancelledAt: row.cancelledAt,
      paymentId: row.paymentId,
      version: row.version,
      fingerprint: row.fingerprint,
      correlationId: row.correlationId,
      lines: lines
        .sort((a, b) => a.lineNo - b.lineNo)
        .map((line) => ({
          lineNo: line.lineNo,
          productId: line.productId,
          name: line.name,
          unitPrice: line.unitPrice,
          quantity: line.quantity,
        })),
    };
    return Order.restore(snapshot);
  },
};
