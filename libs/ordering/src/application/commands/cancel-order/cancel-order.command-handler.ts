import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { OrderChangeResult } from '../order-changes/order-change.result.js';
import { OrderChanges } from '../order-changes/order-changes.js';
import { CancelOrderCommand } from './cancel-order.command.js';

/** CALCULATED, PAYMENT_FAILED or PAID → CANCELLED; the event says whether the order had been paid. */
@CommandHandler(CancelOrderCommand)
export class CancelOrderCommandHandler implements ICommandHandler<CancelOrderCommand, OrderChangeResult> {
  constructor(private readonly changes: OrderChanges) {}

  execute({ orderId, reason, origin, expectedVersion }: CancelOrderCommand): Promise<OrderChangeResult> {
    return this.changes.apply({ orderId, expectedVersion, change: (order, at) => order.cancel(reason, origin, at) });
  }
}
