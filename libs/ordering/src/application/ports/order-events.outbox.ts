import type { OrderCalculated } from '../../domain/index.js';

/**
 * Where an OrderCalculated waits for the relay, stored in the same transaction as the order itself,
 * so the event goes out if and only if the order was committed.
 */
export abstract class OrderEventsOutbox {
  abstract enqueue(event: OrderCalculated): Promise<void>;
}
