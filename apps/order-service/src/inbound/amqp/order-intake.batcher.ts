import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { type ReceiveOrderCommand, type ReceiveOrderResult, UnitOfWork } from '@app/ordering';
import { OrderServiceMetrics } from '../../observability/order-service.metrics.js';
import { BatchSettings, TransactionBatcher } from './transaction-batcher.js';

/** How product A's orders share transactions (INBOUND_BATCH_SIZE). */
export class OrderIntakeSettings extends BatchSettings {}

/**
 * ReceiveOrder commands in shared transactions, keyed by the externalId the body claims: a later
 * conflicting duplicate cannot commit first and stand in place of the original. Two deliveries of
 * one externalId may share a transaction: its admissions keep the first.
 */
@Injectable()
export class OrderIntakeBatcher extends TransactionBatcher<ReceiveOrderCommand, ReceiveOrderResult> {
  protected readonly transactionName = 'intake';
  protected readonly keyOncePerBatch = false;

  constructor(
    commandBus: CommandBus,
    unitOfWork: UnitOfWork,
    settings: OrderIntakeSettings,
    private readonly metrics: OrderServiceMetrics,
  ) {
    super(commandBus, unitOfWork, settings);
  }

  /** Validation comes later, in ReceiveOrder: this is only what the body claims. */
  protected keyOf({ body }: ReceiveOrderCommand): string | undefined {
    const externalId =
      typeof body === 'object' && body !== null ? (body as { externalId?: unknown }).externalId : undefined;
    return typeof externalId === 'string' ? externalId : undefined;
  }

  protected observeBatchSize(size: number): void {
    this.metrics.intakeBatchSize.observe(size);
  }
}
