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
}

/** The OrderCalculated message on `order.calculated` (contract section 2). */
export interface OrderCalculatedMessage extends Omit<OrderDocument, 'receivedAt' | 'calculatedAt' | 'updatedAt'> {
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
