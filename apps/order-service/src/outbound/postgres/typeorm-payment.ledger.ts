import { Injectable } from '@nestjs/common';
import { type PaymentNotice, PaymentLedger, type PaymentRecording } from '@app/ordering';
import { TypeOrmUnitOfWork } from './typeorm-unit-of-work.js';

const RECORD = `
  INSERT INTO payments (payment_id, order_id, outcome, fingerprint) VALUES ($1, $2, $3, $4)
  ON CONFLICT (payment_id) DO NOTHING RETURNING payment_id`;
/* A statement of its own: under READ COMMITTED it sees the row of a replica that won the race. */
const KNOWN = `SELECT fingerprint FROM payments WHERE payment_id = $1`;

@Injectable()
export class TypeOrmPaymentLedger extends PaymentLedger {
  constructor(private readonly unitOfWork: TypeOrmUnitOfWork) {
    super();
  }

  /** In the change's transaction: when the change rolls back, the payment is not recorded either. */
  record(payment: PaymentNotice): Promise<PaymentRecording> {
    return this.unitOfWork.inScope(async (scope) => {
      const parameters = [payment.paymentId, payment.orderId, payment.outcome, payment.fingerprint];
      const inserted = await scope.manager.query<unknown[]>(RECORD, parameters);
      if (inserted.length > 0) {
        scope.written = true;
        return { recorded: true };
      }
      const [known] = await scope.manager.query<{ fingerprint: string }[]>(KNOWN, [payment.paymentId]);
      return { recorded: false, existingFingerprint: known.fingerprint };
    });
  }
}
