import { DuplicatePaymentConflictError, type PaymentNotice } from '../../../domain/index.js';
import type { PaymentLedger } from '../../ports/payment.ledger.js';
import type { OrderChangeRequest } from './order-changes.js';

/**
 * A payment's place in the ledger, before and after its change: the same content again is a
 * duplicate (no change), other content under a known paymentId a conflict (the first payment
 * stands). Nothing is written before the change is decided, so a refused payment writes nothing.
 */
export function paymentAdmission(
  ledger: PaymentLedger,
  payment: PaymentNotice,
): Pick<OrderChangeRequest, 'isDuplicate' | 'record'> {
  return {
    isDuplicate: async () => {
      const known = await ledger.fingerprintOf(payment.paymentId);
      if (known !== null && known !== payment.fingerprint) throw new DuplicatePaymentConflictError(payment.paymentId);
      return known !== null;
    },
    record: () => ledger.record(payment),
  };
}
