import { Order, type OrderLineSnapshot, type OrderSnapshot } from '@app/ordering';

/** An order as ORDERS_BY_ID reads it: the columns as they are named, its lines as JSON. */
export interface OrderRow {
  id: string;
  external_id: string;
  customer_id: string | null;
  currency: string;
  placed_at: Date | null;
  status: string;
  total: string | null;
  received_at: Date;
  calculated_at: Date | null;
  paid_at: Date | null;
  shipped_at: Date | null;
  delivered_at: Date | null;
  cancelled_at: Date | null;
  payment_id: string | null;
  version: number;
  fingerprint: string;
  correlation_id: string | null;
  lines: OrderLineSnapshot[] | null;
}

/** Between the aggregate and its rows: the only place that knows both shapes. */
export const OrderMapper = {
  fromRow(row: OrderRow): Order {
    return Order.restore({
      id: row.id,
      externalId: row.external_id,
      customerId: row.customer_id,
      currency: row.currency,
      placedAt: row.placed_at,
      status: row.status as OrderSnapshot['status'],
      total: row.total,
      receivedAt: row.received_at,
      calculatedAt: row.calculated_at,
      paidAt: row.paid_at,
      shippedAt: row.shipped_at,
      deliveredAt: row.delivered_at,
      cancelledAt: row.cancelled_at,
      paymentId: row.payment_id,
      version: row.version,
      fingerprint: row.fingerprint,
      correlationId: row.correlation_id,
      lines: row.lines ?? [],
    });
  },
};
