import { Command } from '@nestjs/cqrs';
import type { ChangeOrigin } from '../../../domain/index.js';
import type { OrderChangeResult } from '../order-changes/order-change.result.js';

export class DeliverOrderCommand extends Command<OrderChangeResult> {
  constructor(
    readonly orderId: string,
    readonly origin: ChangeOrigin,
    /** If-Match: the version the caller saw, or null. */
    readonly expectedVersion: number | null,
  ) {
    super();
  }
}
