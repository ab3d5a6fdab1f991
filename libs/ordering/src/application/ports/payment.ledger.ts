import type { PaymentNotice } from '../../domain/index.js';

/**
 * The payments the service has acted on, keyed by paymentId: the idempotency of the payment
 * system's messages. Recorded in the transaction of the change they caused, so a payment whose
 * effect rolled back is not known either.
 */
export abstract class PaymentLedger {
  /** The fingerprint of the payment recorded under `paymentId`, or null when there is none. */
  abstract fingerprintOf(paymentId: string): Promise<string | null>;

  /**
   * Records the payment with the transaction's other writes. When another transaction recorded its
   * paymentId first (a replica racing this one), this transaction fails with a
   * ConcurrentModificationError, and the payment is decided again.
   */
  abstract record(payment: PaymentNotice): Promise<void>;
}
