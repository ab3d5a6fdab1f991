/** The shapes of docs/contract.md as product B reads them; money is always a decimal string. */

export interface OrderLineDocument {
  productId: string;
  name: string | null;
  unitPrice: string;
  quantity: number;
  lineTotal: string;
}

/** `GET /orders/{orderId}` (contract section 3). */
export interface OrderDocument {
  orderId: string;
  externalId: string;
  customerId: string | null;
  status: string;
  currency: string;
  total: string | null;
  itemCount: number;
  items: OrderLineDocument[];
  receivedAt: string;
  calculatedAt: string | null;
  updatedAt: string;
  /** Grows by one with each status change (1 once calculated); the ETag of the order. */
  version: number;
}

/** The statuses an order takes once calculated, in the order the contract lists them (section 4). */
export const LIFECYCLE_STATUSES = [
  'CALCULATED',
  'PAID',
  'PAYMENT_FAILED',
  'SHIPPED',
  'DELIVERED',
  'CANCELLED',
] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

/** The OrderCalculated message on `order.calculated` (contract section 2). */
export interface OrderCalculatedMessage extends Omit<
  OrderDocument,
  'receivedAt' | 'calculatedAt' | 'updatedAt' | 'version'
> {
  eventId: string;
  eventType: string;
  occurredAt: string;
}

/** `GET /orders`: one keyset page. */
export interface OrderPage {
  data: OrderDocument[];
  nextCursor: string | null;
}

/** `GET /orders/stats`. */
export interface OrderStats {
  countsByStatus: Record<string, number>;
  totalsByCurrency: Record<string, string>;
}

/** A status change on `order.status-changed` (contract section 4.3): OrderPaid, OrderShipped… */
export interface OrderStatusChangedMessage {
  eventId: string;
  eventType: string;
  occurredAt: string;
  orderId: string;
  externalId: string;
  customerId: string | null;
  status: LifecycleStatus;
  previousStatus: LifecycleStatus;
  version: number;
  details: Record<string, string | boolean | null>;
}

/** `GET /orders/{orderId}/history` (contract section 4.4), oldest first. */
export interface OrderHistoryDocument {
  orderId: string;
  entries: {
    eventId: string;
    eventType: string;
    status: LifecycleStatus;
    version: number;
    occurredAt: string;
    source: 'amqp' | 'http';
    actor: string;
    details: Record<string, string | boolean | null>;
  }[];
}

/** Orders calculated, whatever their status since: the sum of the lifecycle statuses' counts. */
export function calculatedCount(countsByStatus: Partial<Record<string, number>>): number {
  return LIFECYCLE_STATUSES.reduce((sum, status) => sum + (countsByStatus[status] ?? 0), 0);
}
