import { Injectable } from '@nestjs/common';
import { type DomainEvent, OrderCalculated, OrderReceived } from '../../domain/index.js';
import { OrderRepository } from '../ports/order.repository.js';
import { OrderViewStore } from '../ports/order-view.store.js';
import { orderViewOf } from '../read-model/order-view.js';
import { TransactionalEventHandler } from './transactional-event.handler.js';

/**
 * Keeps the read table in step with the write model: every event of an order rewrites its row from
 * the order's current state (already loaded in this transaction), so the row can never drift.
 */
@Injectable()
export class OrderViewProjector extends TransactionalEventHandler {
  constructor(
    private readonly orders: OrderRepository,
    private readonly views: OrderViewStore,
  ) {
    super();
  }

  async handle(event: DomainEvent): Promise<void> {
    if (!(event instanceof OrderReceived || event instanceof OrderCalculated)) return;
    const order = await this.orders.getById(event.orderId);
    await this.views.save(orderViewOf(order));
  }
}
