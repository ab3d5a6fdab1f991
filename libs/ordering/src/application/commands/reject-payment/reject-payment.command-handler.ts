import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PaymentLedger } from '../../ports/payment.ledger.js';
import type { OrderChangeResult } from '../order-changes/order-change.result.js';
import { OrderChanges } from '../order-changes/order-changes.js';
import { paymentAdmission } from '../order-changes/payment-admission.js';
import { RejectPaymentCommand } from './reject-payment.command.js';

/** CALCULATED → PAYMENT_FAILED; for any later status the rejection is acknowledged with no change. */
@CommandHandler(RejectPaymentCommand)
export class RejectPaymentCommandHandler implements ICommandHandler<RejectPaymentCommand, OrderChangeResult> {
  constructor(
    private readonly changes: OrderChanges,
    private readonly ledger: PaymentLedger,
  ) {}

  execute({ payment, origin }: RejectPaymentCommand): Promise<OrderChangeResult> {
    return this.changes.apply({
      orderId: payment.orderId,
      expectedVersion: null,
      ...paymentAdmission(this.ledger, payment),
      change: (order, at) => order.rejectPayment(payment, origin, at),
    });
  }
}
