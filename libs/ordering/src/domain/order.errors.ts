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

/** A change the order's status does not allow (docs/contract.md, section 4): 409 over REST, a dead letter over AMQP. */
export class InvalidTransitionError extends DomainError {
  override readonly code = 'invalid-transition';

  constructor(
    readonly orderId: string,
    readonly status: OrderStatus,
    readonly change: string,
  ) {
    super(`Order ${orderId} cannot be ${change}: it is ${status}.`);
  }
}

/** A confirmed payment whose amount or currency is not the order's total. */
export class PaymentMismatchError extends DomainError {
  override readonly code = 'payment-mismatch';

  constructor(paymentId: string, paid: string, orderId: string, owed: string) {
    super(`Payment ${paymentId} is for ${paid} but order ${orderId} totals ${owed}.`);
  }
}
