import type { DomainEvent } from '../../domain/index.js';
import type { TransactionalEventHandler } from './transactional-event.handler.js';

/** Hands an aggregate's new events to every transactional handler, one handler after the other. */
export class DomainEventDispatcher {
  constructor(private readonly handlers: readonly TransactionalEventHandler[]) {}

  async dispatch(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const handler of this.handlers) await handler.handle(events);
  }
}
