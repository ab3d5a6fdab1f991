import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '../../ports/clock.js';
import { OrderRepository } from '../../ports/order.repository.js';
import { UnitOfWork } from '../../ports/unit-of-work.js';
import { CalculateOrderCommand } from './calculate-order.command.js';

/** Totals a received order; its OrderCalculated event is stored with it for the outbox relay. */
@CommandHandler(CalculateOrderCommand)
export class CalculateOrderCommandHandler implements ICommandHandler<CalculateOrderCommand, void> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
  ) {}

  async execute({ orderId }: CalculateOrderCommand): Promise<void> {
    await this.unitOfWork.run(async () => {
      const order = await this.orders.getById(orderId);
      order.calculate(this.clock.now());
      await this.orders.save(order);
    });
  }
}
