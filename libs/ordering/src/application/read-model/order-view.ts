import type { Order, OrderLine, OrderStatus } from '../../domain/index.js';

/** One line of an order as product B reads it; money as decimal strings in the currency's places. */
export interface OrderViewItem {
  readonly productId: string;
  readonly name: string | null;
  readonly unitPrice: string;
  readonly quantity: number;
  readonly lineTotal: string;
}

/**
 * An order as the read table holds it and the REST API answers it (contract section 3): the
 * OrderCalculated message's fields without the event's own, plus the order's timestamps.
 */
export interface OrderView {
  readonly orderId: string;
  readonly externalId: string;
  readonly customerId: string | null;
  readonly status: OrderStatus;
  readonly currency: string;
  /** Null until the order is calculated. */
  readonly total: string | null;
  readonly itemCount: number;
  readonly items: readonly OrderViewItem[];
  readonly receivedAt: string;
  readonly calculatedAt: string | null;
  readonly paidAt: string | null;
  readonly shippedAt: string | null;
  readonly deliveredAt: string | null;
  readonly cancelledAt: string | null;
  readonly updatedAt: string;
  /** Grows by one with every change; the ETag of GET /orders/{orderId}. */
  readonly version: number;
}

/**
 * An order's read row as stored: its document already rendered as JSON text (the REST answer as
 * it is, not parsed and serialized again on every read) and its version (the ETag).
 */
export interface RenderedOrderView {
  readonly version: number;
  readonly json: string;
}

/** A line as both the read table and the OrderCalculated message give it (contract sections 2 and 3). */
export function orderViewItemOf(line: OrderLine): OrderViewItem {
  return {
    productId: line.productId,
    name: line.name,
    unitPrice: line.unitPrice.toString(),
    quantity: line.quantity,
    lineTotal: line.lineTotal().toString(),
  };
}

/**
 * The view is a function of the order's state alone, so projecting an event and rebuilding from
 * the write model give the same row. `updatedAt` is the time of the order's latest change.
 */
export function orderViewOf(order: Order): OrderView {
  const { paidAt, shippedAt, deliveredAt, cancelledAt } = order.statusTimes;
  return {
    orderId: order.id,
    externalId: order.externalId,
    customerId: order.customerId,
    status: order.status,
    currency: order.currency.code,
    total: order.total?.toString() ?? null,
    itemCount: order.itemCount,
    items: order.lines.map(orderViewItemOf),
    receivedAt: order.receivedAt.toISOString(),
    calculatedAt: order.calculatedAt?.toISOString() ?? null,
    paidAt: paidAt?.toISOString() ?? null,
    shippedAt: shippedAt?.toISOString() ?? null,
    deliveredAt: deliveredAt?.toISOString() ?? null,
    cancelledAt: cancelledAt?.toISOString() ?? null,
    updatedAt: order.updatedAt.toISOString(),
    version: order.version,
  };
}
