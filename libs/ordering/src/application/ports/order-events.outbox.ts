import type { OrderCalculated, OrderStatusChanged } from '../../domain/index.js';

/** Every event that leaves the service as a message (docs/contract.md, sections 2 and 4.3). */
export type OutgoingOrderEvent = OrderCalculated | OrderStatusChanged;

/**
 * Where an outgoing event waits for the relay, stored in the same transaction as the order itself,
 * so the event goes out if and only if the change was committed.
 */
export abstract class OrderEventsOutbox {
  abstract enqueue(event: OutgoingOrderEvent): Promise<void>;
}
