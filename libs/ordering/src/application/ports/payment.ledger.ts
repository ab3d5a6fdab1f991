import type { PaymentNotice } from '../../domain/index.js';

/** What the ledger answers when a payment is recorded: new, or already known under its paymentId. */
export type PaymentRecording =
  { readonly recorded: true } | { readonly recorded: false; readonly existingFingerprint: string };

/**
 * The payments the service has acted on, keyed by paymentId: the idempotency of the payment
 * system's messages. Recorded in the transaction of the change they caused, so a payment whose
 * effect rolled back is not known either; atomic under concurrent replicas.
 */
export abstract class PaymentLedger {
  abstract record(payment: PaymentNotice): Promise<PaymentRecording>;
}
