import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { PaymentLedger } from '../../ports/payment.ledger.js';
import type { OrderChangeResult } from '../order-changes/order-change.result.js';
import { OrderChanges } from '../order-changes/order-changes.js';
import { paymentAdmission } from '../order-changes/payment-admission.js';
import { ConfirmPaymentCommand } from './confirm-payment.command.js';

/** CALCULATED or PAYMENT_FAILED → PAID, when the amount is the order's total to the last digit. */
@CommandHandler(ConfirmPaymentCommand)
export class ConfirmPaymentCommandHandler implements ICommandHandler<ConfirmPaymentCommand, OrderChangeResult> {
  constructor(
    private readonly changes: OrderChanges,
    private readonly ledger: PaymentLedger,
  ) {}

  execute({ payment, origin }: ConfirmPaymentCommand): Promise<OrderChangeResult> {
    return this.changes.apply({
      orderId: payment.orderId,
      expectedVersion: null,
      ...paymentAdmission(this.ledger, payment),
      change: (order, at) => order.confirmPayment(payment, origin, at),
    });
  }
}
