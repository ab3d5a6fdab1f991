import { Command } from '@nestjs/cqrs';
import type { ChangeOrigin, PaymentNotice, RejectedPayment } from '../../../domain/index.js';
import type { OrderChangeResult } from '../order-changes/order-change.result.js';

/** The payment system rejected a payment of the order (docs/contract.md, section 4.1). */
export class RejectPaymentCommand extends Command<OrderChangeResult> {
  constructor(
    readonly payment: RejectedPayment & PaymentNotice,
    readonly origin: ChangeOrigin,
  ) {
    super();
  }
}
