import { DomainError } from './domain-error.js';
import type { OrderStatus } from './order-status.js';

/** Product A's message breaks the contract; the detail completes a sentence whose subject is the field. */
export class InvalidOrderError extends DomainError {
  override readonly code = 'invalid-order';

  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field} ${detail}.`);
  }
}

export class DuplicateOrderConflictError extends DomainError {
  override readonly code = 'duplicate-conflict';

  constructor(
    readonly externalId: string,
    readonly existingOrderId: string,
  ) {
    super(
      `externalId ${externalId} was already received as order ${existingOrderId} with different content; ` +
        'the first order stands.',
    );
  }
}

export class OrderStateError extends DomainError {
  override readonly code = 'invalid-state';

  constructor(
    readonly orderId: string,
    readonly status: OrderStatus,
    action: string,
  ) {
    super(`Order ${orderId} cannot be ${action}: it is ${status}.`);
  }
}
