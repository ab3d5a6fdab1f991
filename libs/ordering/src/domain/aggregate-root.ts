import type { DomainEvent } from './events/domain-event.js';

/** Collects the events an aggregate records until the application layer takes them. */
export abstract class AggregateRoot {
  private pending: DomainEvent[] = [];

  protected apply(event: DomainEvent): void {
    this.pending.push(event);
  }

  pullEvents(): DomainEvent[] {
    const events = this.pending;
    this.pending = [];
    return events;
  }
}
