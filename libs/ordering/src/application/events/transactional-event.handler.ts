import type { DomainEvent } from '../../domain/index.js';

/**
 * Reacts to a domain event inside the transaction that recorded it, so its effect commits together
 * with the change or not at all. (The @nestjs/cqrs EventBus runs handlers after the fact and without
 * waiting for them: an effect could be lost, or land for a change that was rolled back.)
 * A handler gets all the events of one dispatch at once (so it can write once per aggregate) and
 * ignores those it is not about.
 */
export abstract class TransactionalEventHandler {
  abstract handle(events: readonly DomainEvent[]): Promise<void>;
}
