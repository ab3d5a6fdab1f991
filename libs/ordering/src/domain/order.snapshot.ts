import type { OrderStatus } from './order-status.js';

/** An order as plain data for persistence; money is a decimal string, as a numeric column holds it. */
export interface OrderSnapshot {
  id: string;
  externalId: string;
  customerId: string | null;
  /** ISO 4217 code. */
  currency: string;
  placedAt: Date | null;
  status: OrderStatus;
  total: string | null;
  receivedAt: Date;
  calculatedAt: Date | null;
  paidAt: Date | null;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  cancelledAt: Date | null;
  /** The payment that paid the order, once one has. */
  paymentId: string | null;
  version: number;
  fingerprint: string;
  correlationId: string | null;
  lines: OrderLineSnapshot[];
}

export interface OrderLineSnapshot {
  lineNo: number;
  productId: string;
  name: string | null;
  unitPrice: string;
  quantity: number;
}
