import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { OrderChangeResult } from '../order-changes/order-change.result.js';
import { OrderChanges } from '../order-changes/order-changes.js';
import { ShipOrderCommand } from './ship-order.command.js';

/** PAID → SHIPPED, with the carrier and tracking code when given. */
@CommandHandler(ShipOrderCommand)
export class ShipOrderCommandHandler implements ICommandHandler<ShipOrderCommand, OrderChangeResult> {
  constructor(private readonly changes: OrderChanges) {}

  execute({ orderId, shipment, origin, expectedVersion }: ShipOrderCommand): Promise<OrderChangeResult> {
    return this.changes.apply({ orderId, expectedVersion, change: (order, at) => order.ship(shipment, origin, at) });
  }
}
