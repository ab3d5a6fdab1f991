import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainEventDispatcher } from '../../events/domain-event.dispatcher.js';
import { Clock } from '../../ports/clock.js';
import { OrderRepository } from '../../ports/order.repository.js';
import { UnitOfWork } from '../../ports/unit-of-work.js';
import { CalculateOrderCommand } from './calculate-order.command.js';

/**
 * Totals a received order. Its OrderCalculated event refreshes the read table and enters the outbox
 * in the same transaction.
 */
@CommandHandler(CalculateOrderCommand)
export class CalculateOrderCommandHandler implements ICommandHandler<CalculateOrderCommand, void> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly clock: Clock,
    private readonly events: DomainEventDispatcher,
  ) {}

  async execute({ orderId, origin }: CalculateOrderCommand): Promise<void> {
    await this.unitOfWork.run(async () => {
      const order = await this.orders.getById(orderId);
      order.calculate(origin, this.clock.now());
      await this.orders.save(order);
      await this.events.dispatch(order.pullEvents());
    });
  }
}
