import type { OutgoingOrderEvent } from '@app/ordering';
import type { TraceCarrier } from '../../../observability/tracing/spans.js';
import { correlationIdOf, toOrderEventMessage } from '../order-event.message.js';
import type { CommittedOutboxMessage, OutboxSignal } from '../outbox.signal.js';
import type { DeferredStatement, DeferredWrites } from '../../postgres/batch/deferred-statement.js';

/** The contract's message is rendered now and stored as text, so every republish is byte-identical. */
const INSERT_OUTBOX = `
  INSERT INTO outbox (event_id, event_type, aggregate_id, correlation_id, payload, occurred_at, trace_context)
  SELECT event_id, event_type, aggregate_id, correlation_id, payload, occurred_at, trace_context
  FROM json_to_recordset($1::json)
    AS e(event_id uuid, event_type text, aggregate_id uuid, correlation_id text, payload json,
         occurred_at timestamptz, trace_context json)
  RETURNING id, event_id`;

/**
 * The outgoing messages of one transaction, inserted at commit with the other held-back writes
 * and handed to the relay once the transaction has committed (`handOver`, an after-commit callback).
 */
export class PendingOutbox implements DeferredWrites {
  private events: { readonly event: OutgoingOrderEvent; readonly traceContext: TraceCarrier | null }[] = [];
  private inserted: CommittedOutboxMessage[] = [];

  constructor(private readonly signal: OutboxSignal) {}

  add(event: OutgoingOrderEvent, traceContext: TraceCarrier | null): void {
    this.events.push({ event, traceContext });
  }

  statement(): DeferredStatement | null {
    if (this.events.length === 0) return null;
    const events = this.events;
    this.events = [];
    const payloads = events.map(({ event }) => JSON.stringify(toOrderEventMessage(event)));
    // One JSON parameter, the payload spliced in as rendered: a `json` field keeps that text exactly.
    const rows = events.map(({ event, traceContext }, index) => {
      const fields = JSON.stringify({
        event_id: event.eventId,
        event_type: event.eventType,
        aggregate_id: event.orderId,
        correlation_id: correlationIdOf(event),
        occurred_at: event.occurredAt.toISOString(),
        trace_context: traceContext,
      });
      return `${fields.slice(0, -1)},"payload":${payloads[index]}}`;
    });
    return {
      sql: INSERT_OUTBOX,
      parameters: [`[${rows.join(',')}]`],
      returned: (inserted) => {
        const idOf = new Map(inserted.map((row) => [row.event_id, String(row.id)]));
        this.inserted = events.map(({ event, traceContext }, index) => ({
          id: idOf.get(event.eventId) as string,
          eventId: event.eventId,
          eventType: event.eventType,
          correlationId: correlationIdOf(event),
          payload: payloads[index],
          occurredAt: event.occurredAt,
          traceContext,
        }));
      },
    };
  }

  readonly handOver = (): void => this.signal.committed(this.inserted);
}
