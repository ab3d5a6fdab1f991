import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { OrderChangeResult } from '../order-changes/order-change.result.js';
import { OrderChanges } from '../order-changes/order-changes.js';
import { DeliverOrderCommand } from './deliver-order.command.js';

/** SHIPPED → DELIVERED. */
@CommandHandler(DeliverOrderCommand)
export class DeliverOrderCommandHandler implements ICommandHandler<DeliverOrderCommand, OrderChangeResult> {
  constructor(private readonly changes: OrderChanges) {}

  execute({ orderId, origin, expectedVersion }: DeliverOrderCommand): Promise<OrderChangeResult> {
    return this.changes.apply({ orderId, expectedVersion, change: (order, at) => order.deliver(origin, at) });
  }
}
