import { Injectable } from '@nestjs/common';
import type { DomainEvent } from '../../domain/index.js';
import { OrderHistoryStore } from '../ports/order-history.store.js';
import { historyEntryOf } from '../read-model/order-history.js';
import { isOutgoing } from './order-events.outbox-writer.js';
import { TransactionalEventHandler } from './transactional-event.handler.js';

/** Appends one history entry per outgoing event, in its transaction: the history is the events' sequence. */
@Injectable()
export class OrderHistoryWriter extends TransactionalEventHandler {
  constructor(private readonly history: OrderHistoryStore) {
    super();
  }

  async handle(events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) {
      if (isOutgoing(event)) await this.history.append(historyEntryOf(event));
    }
  }
}
