import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  type ConfirmPaymentCommand,
  type OrderChangeResult,
  type RejectPaymentCommand,
  UnitOfWork,
} from '@app/ordering';
import { OrderServiceMetrics } from '../../observability/order-service.metrics.js';
import { BatchSettings, TransactionBatcher } from './transaction-batcher.js';

/** How the payment system's messages share transactions (PAYMENTS_BATCH_SIZE). */
export class PaymentBatchSettings extends BatchSettings {}

export type PaymentCommand = ConfirmPaymentCommand | RejectPaymentCommand;

/**
 * Payments in shared transactions, keyed by order: the payments of one order are decided one after
 * the other, never in one transaction, as each loads and changes the order.
 */
@Injectable()
export class PaymentBatcher extends TransactionBatcher<PaymentCommand, OrderChangeResult> {
  protected readonly transactionName = 'payments';
  protected readonly keyOncePerBatch = true;

  constructor(
    commandBus: CommandBus,
    unitOfWork: UnitOfWork,
    settings: PaymentBatchSettings,
    private readonly metrics: OrderServiceMetrics,
  ) {
    super(commandBus, unitOfWork, settings);
  }

  protected keyOf({ payment }: PaymentCommand): string {
    return payment.orderId;
  }

  protected observeBatchSize(size: number): void {
    this.metrics.paymentBatchSize.observe(size);
  }
}
