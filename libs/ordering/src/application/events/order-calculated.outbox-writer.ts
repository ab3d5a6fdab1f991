import { Injectable } from '@nestjs/common';
import { type DomainEvent, OrderCalculated } from '../../domain/index.js';
import { OrderEventsOutbox } from '../ports/order-events.outbox.js';
import { TransactionalEventHandler } from './transactional-event.handler.js';

/** Queues OrderCalculated for product B; the relay publishes it once the transaction has committed. */
@Injectable()
export class OrderCalculatedOutboxWriter extends TransactionalEventHandler {
  constructor(private readonly outbox: OrderEventsOutbox) {
    super();
  }

  async handle(events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) {
      if (event instanceof OrderCalculated) await this.outbox.enqueue(event);
    }
  }
}
