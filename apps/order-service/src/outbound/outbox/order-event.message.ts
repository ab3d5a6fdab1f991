import {
  type EventDetails,
  OrderCalculated,
  type OrderStatus,
  type OrderStatusChanged,
  type OrderViewItem,
  orderViewItemOf,
  type OutgoingOrderEvent,
} from '@app/ordering';

/** The OrderCalculated message of the contract (section 2), as product B receives it. */
export interface OrderCalculatedMessage {
  eventId: string;
  eventType: 'OrderCalculated';
  occurredAt: string;
  orderId: string;
  externalId: string;
  customerId: string | null;
  status: 'CALCULATED';
  currency: string;
  total: string;
  itemCount: number;
  items: OrderViewItem[];
}

/** The message of a status change (contract section 4.3): OrderPaid, OrderShipped and the others. */
export interface OrderStatusChangedMessage {
  eventId: string;
  eventType: string;
  occurredAt: string;
  orderId: string;
  externalId: string;
  customerId: string | null;
  status: OrderStatus;
  previousStatus: OrderStatus;
  version: number;
  details: EventDetails;
}

export function toOrderEventMessage(event: OutgoingOrderEvent): OrderCalculatedMessage | OrderStatusChangedMessage {
  return event instanceof OrderCalculated ? toOrderCalculatedMessage(event) : toStatusChangedMessage(event);
}

/** The inbound message's correlation id: product A's for the calculation, the change's own after it. */
export function correlationIdOf(event: OutgoingOrderEvent): string | null {
  return event instanceof OrderCalculated ? event.correlationId : event.origin.correlationId;
}

function toOrderCalculatedMessage(event: OrderCalculated): OrderCalculatedMessage {
  return {
    eventId: event.eventId,
    eventType: 'OrderCalculated',
    occurredAt: event.occurredAt.toISOString(),
    orderId: event.orderId,
    externalId: event.externalId,
    customerId: event.customerId,
    status: 'CALCULATED',
    currency: event.currency.code,
    total: event.total.toString(),
    itemCount: event.lines.length,
    items: event.lines.map(orderViewItemOf),
  };
}

function toStatusChangedMessage(event: OrderStatusChanged): OrderStatusChangedMessage {
  return {
    eventId: event.eventId,
    eventType: event.eventType,
    occurredAt: event.occurredAt.toISOString(),
    orderId: event.orderId,
    externalId: event.externalId,
    customerId: event.customerId,
    status: event.status,
    previousStatus: event.previousStatus,
    version: event.version,
    details: event.details,
  };
}
