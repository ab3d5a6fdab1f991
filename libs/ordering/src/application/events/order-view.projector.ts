import { Injectable } from '@nestjs/common';
import { type DomainEvent, OrderReceived } from '../../domain/index.js';
import { OrderRepository } from '../ports/order.repository.js';
import { OrderViewStore } from '../ports/order-view.store.js';
import { orderViewOf } from '../read-model/order-view.js';
import { isOutgoing } from './order-events.outbox-writer.js';
import { TransactionalEventHandler } from './transactional-event.handler.js';

/**
 * Keeps the read table in step with the write model: the events of an order rewrite its row from the
 * order's current state (already loaded in this transaction), once per dispatch however many events
 * it carries, so the row can never drift from the order.
 */
@Injectable()
export class OrderViewProjector extends TransactionalEventHandler {
  constructor(
    private readonly orders: OrderRepository,
    private readonly views: OrderViewStore,
  ) {
    super();
  }

  async handle(events: readonly DomainEvent[]): Promise<void> {
    const changed = new Set(
      events.filter((event) => event instanceof OrderReceived || isOutgoing(event)).map((event) => event.orderId),
    );
    for (const orderId of changed) await this.views.save(orderViewOf(await this.orders.getById(orderId)));
  }
}
