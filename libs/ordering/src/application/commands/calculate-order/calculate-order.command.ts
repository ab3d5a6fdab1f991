import { Command } from '@nestjs/cqrs';
import type { ChangeOrigin } from '../../../domain/index.js';

export class CalculateOrderCommand extends Command<void> {
  constructor(
    readonly orderId: string,
    readonly origin: ChangeOrigin,
  ) {
    super();
  }
}
