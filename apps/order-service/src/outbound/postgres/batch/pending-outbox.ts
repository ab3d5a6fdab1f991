import type { OrderCalculated } from '@app/ordering';
import type { EntityManager } from 'typeorm';
import { toOrderCalculatedMessage } from '../../outbox/order-calculated.message.js';
import type { DeferredWrites } from '../typeorm-unit-of-work.js';

/** The contract's message is rendered now and stored as text, so every republish is byte-identical. */
const INSERT_OUTBOX = `
  INSERT INTO outbox (event_id, event_type, aggregate_id, correlation_id, payload, occurred_at)
  SELECT event_id, event_type, aggregate_id, correlation_id, payload, occurred_at
  FROM json_to_recordset($1::json)
    AS e(event_id uuid, event_type text, aggregate_id uuid, correlation_id text, payload json, occurred_at timestamptz)`;

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
    // One JSON parameter; a `json` field keeps the message's text exactly as rendered here.
    const rows = events.map((event) => ({
      event_id: event.eventId,
      event_type: event.eventType,
      aggregate_id: event.orderId,
      correlation_id: event.correlationId,
      payload: toOrderCalculatedMessage(event),
      occurred_at: event.occurredAt,
    }));
    await manager.query(INSERT_OUTBOX, [JSON.stringify(rows)]);
  }
}
