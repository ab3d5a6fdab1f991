import { Injectable } from '@nestjs/common';
import { type DomainEvent, OrderCalculated, OrderStatusChanged } from '../../domain/index.js';
import { OrderEventsOutbox, type OutgoingOrderEvent } from '../ports/order-events.outbox.js';
import { TransactionalEventHandler } from './transactional-event.handler.js';

/** Whether an event leaves the service as a message (OrderReceived does not). */
export function isOutgoing(event: DomainEvent): event is OutgoingOrderEvent {
  return event instanceof OrderCalculated || event instanceof OrderStatusChanged;
}

/** Queues every outgoing event; the relay publishes it once the transaction has committed. */
@Injectable()
export class OrderEventsOutboxWriter extends TransactionalEventHandler {
  constructor(private readonly outbox: OrderEventsOutbox) {
    super();
  }

  async handle(events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) {
      if (isOutgoing(event)) await this.outbox.enqueue(event);
    }
  }
}
