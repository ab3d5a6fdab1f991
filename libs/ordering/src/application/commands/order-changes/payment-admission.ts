import { DuplicatePaymentConflictError, type PaymentNotice } from '../../../domain/index.js';
import type { PaymentLedger } from '../../ports/payment.ledger.js';

/**
 * Records the payment in the ledger before its change: the same content again is a duplicate (no
 * change), other content under a known paymentId is a conflict and the first payment stands.
 */
export function paymentAdmission(ledger: PaymentLedger, payment: PaymentNotice): () => Promise<'new' | 'duplicate'> {
  return async () => {
    const recording = await ledger.record(payment);
    if (recording.recorded) return 'new';
    if (recording.existingFingerprint === payment.fingerprint) return 'duplicate';
    throw new DuplicatePaymentConflictError(payment.paymentId);
  };
}
