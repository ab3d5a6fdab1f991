import { OrderCalculated, OrderStatus } from '../../domain/index.js';
import type { OutgoingOrderEvent } from '../ports/order-events.outbox.js';

/** One status the order took, as GET /orders/{orderId}/history answers it (docs/contract.md, section 4.4). */
export interface OrderHistoryEntry {
  readonly eventId: string;
  readonly eventType: string;
  readonly status: OrderStatus;
  readonly version: number;
  readonly occurredAt: string;
  readonly source: 'amqp' | 'http';
  /** The routing key of an AMQP message, the API key's fingerprint for REST; never a key itself. */
  readonly actor: string;
  readonly details: Readonly<Record<string, string | boolean | null>>;
}

export interface OrderHistory {
  readonly orderId: string;
  readonly entries: readonly OrderHistoryEntry[];
}

/** The entry an event leaves in its order's history: the same facts as its message. */
export function historyEntryOf(event: OutgoingOrderEvent): OrderHistoryEntry & { readonly orderId: string } {
  const calculated = event instanceof OrderCalculated;
  return {
    orderId: event.orderId,
    eventId: event.eventId,
    eventType: event.eventType,
    status: calculated ? OrderStatus.Calculated : event.status,
    version: event.version,
    occurredAt: event.occurredAt.toISOString(),
    source: event.origin.source,
    actor: event.origin.actor,
    details: calculated ? { total: event.total.toString(), currency: event.currency.code } : event.details,
  };
}
