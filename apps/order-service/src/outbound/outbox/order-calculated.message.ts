import { type OrderCalculated, type OrderViewItem, orderViewItemOf } from '@app/ordering';

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

export function toOrderCalculatedMessage(event: OrderCalculated): OrderCalculatedMessage {
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
