import type { TraceCarrier } from '../../observability/tracing/spans.js';

/** An outbox row as its transaction committed it: everything the relay needs to publish it. */
export interface CommittedOutboxMessage {
  /** The row's id in `outbox`, to mark it published. */
  readonly id: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly correlationId: string | null;
  /** The message exactly as stored, so the first publish and any republish are byte-identical. */
  readonly payload: string;
  readonly occurredAt: Date;
  /** The trace of the work that wrote it, which its message continues; null when not traced. */
  readonly traceContext: TraceCarrier | null;
}

export type CommittedOutboxListener = (messages: readonly CommittedOutboxMessage[]) => void;

/**
 * Hands the outbox rows a transaction committed in this process straight to the relay, which
 * publishes them without reading them back. Rows nobody took (no relay listening yet, a publish
 * that failed, a process that died) stay pending in the table for the relay's sweep.
 */
export class OutboxSignal {
  private listener: CommittedOutboxListener | null = null;

  listen(listener: CommittedOutboxListener | null): void {
    this.listener = listener;
  }

  committed(messages: readonly CommittedOutboxMessage[]): void {
    if (messages.length > 0) this.listener?.(messages);
  }
}
