import type { OrderCalculated } from '@app/ordering';
import type { EntityManager } from 'typeorm';
import { toOrderCalculatedMessage } from '../../outbox/order-calculated.message.js';
import type { DeferredWrites } from '../typeorm-unit-of-work.js';

/** The contract's message is rendered now and stored as text, so every republish is byte-identical. */
const INSERT_OUTBOX = `
  INSERT INTO outbox (event_id, event_type, aggregate_id, correlation_id, payload, occurred_at)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::json[], $6::timestamptz[])`;

/** The OrderCalculated messages of one transaction, inserted with one statement right before commit. */
export class PendingOutbox implements DeferredWrites {
  private events: OrderCalculated[] = [];

  add(event: OrderCalculated): void {
    this.events.push(event);
  }

  async flush(manager: EntityManager): Promise<void> {
    if (this.events.length === 0) return;
    const events = this.events;
    this.events = [];
    await manager.query(INSERT_OUTBOX, [
      events.map((event) => event.eventId),
      events.map((event) => event.eventType),
      events.map((event) => event.orderId),
      events.map((event) => event.correlationId),
      events.map((event) => JSON.stringify(toOrderCalculatedMessage(event))),
      events.map((event) => event.occurredAt),
    ]);
  }
}
