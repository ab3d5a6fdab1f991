import { Command } from '@nestjs/cqrs';
import type { ChangeOrigin, ConfirmedPayment, PaymentNotice } from '../../../domain/index.js';
import type { OrderChangeResult } from '../order-changes/order-change.result.js';

/** The payment system confirmed a payment of the order's total (docs/contract.md, section 4.1). */
export class ConfirmPaymentCommand extends Command<OrderChangeResult> {
  constructor(
    readonly payment: ConfirmedPayment & PaymentNotice,
    readonly origin: ChangeOrigin,
  ) {
    super();
  }
}
