import { Command } from '@nestjs/cqrs';

export class CalculateOrderCommand extends Command<void> {
  constructor(readonly orderId: string) {
    super();
  }
}
