import { randomUUID } from 'node:crypto';

export interface DomainEventProps {
  readonly occurredAt: Date;
  /** Given only when an event is rebuilt from storage; a new event gets a fresh id. */
  readonly eventId?: string;
}

export abstract class DomainEvent {
  abstract readonly eventType: string;
  /** Stable across redeliveries, so consumers deduplicate on it. */
  readonly eventId: string;
  readonly occurredAt: Date;

  protected constructor({ occurredAt, eventId = randomUUID() }: DomainEventProps) {
    this.eventId = eventId;
    this.occurredAt = occurredAt;
  }
}
