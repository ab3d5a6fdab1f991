import { Command } from '@nestjs/cqrs';
import type { ChangeOrigin, Shipment } from '../../../domain/index.js';
import type { OrderChangeResult } from '../order-changes/order-change.result.js';

export class ShipOrderCommand extends Command<OrderChangeResult> {
  constructor(
    readonly orderId: string,
    readonly shipment: Shipment,
    readonly origin: ChangeOrigin,
    /** If-Match: the version the caller saw, or null. */
    readonly expectedVersion: number | null,
  ) {
    super();
  }
}
