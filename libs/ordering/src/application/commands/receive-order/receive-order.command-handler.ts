import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DuplicateOrderConflictError, Order, PlacedOrder } from '../../../domain/index.js';
import { Clock } from '../../ports/clock.js';
import { IdGenerator } from '../../ports/id-generator.js';
import { OrderRepository } from '../../ports/order.repository.js';
import { UnitOfWork } from '../../ports/unit-of-work.js';
import { DomainEventDispatcher } from '../../events/domain-event.dispatcher.js';
import { CalculateOrderCommand } from '../calculate-order/calculate-order.command.js';
import { ReceiveOrderCommand, type ReceiveOrderResult } from './receive-order.command.js';

/**
 * Validates product A's order and stores it, unless its externalId is already known: the same
 * content again is a harmless duplicate, different content is a conflict and the first order stands.
 * A new order is calculated in the same transaction, so no order is ever left RECEIVED.
 */
@CommandHandler(ReceiveOrderCommand)
export class ReceiveOrderCommandHandler implements ICommandHandler<ReceiveOrderCommand, ReceiveOrderResult> {
  constructor(
    private readonly orders: OrderRepository,
    private readonly unitOfWork: UnitOfWork,
    private readonly commandBus: CommandBus,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    private readonly events: DomainEventDispatcher,
  ) {}

  async execute({ body, delivery }: ReceiveOrderCommand): Promise<ReceiveOrderResult> {
    const placed = PlacedOrder.parse(body);
    const order = Order.receive({
      id: this.ids.newId(),
      placed,
      correlationId: delivery.correlationId,
      receivedAt: this.clock.now(),
    });
    return this.unitOfWork.run(async () => {
      const admission = await this.orders.add(order);
      if (!admission.admitted) {
        if (admission.existingFingerprint !== placed.fingerprint) {
          throw new DuplicateOrderConflictError(placed.externalId, admission.existingOrderId);
        }
        return { outcome: 'duplicate', orderId: admission.existingOrderId, externalId: placed.externalId };
      }
      const origin = { source: 'amqp', actor: delivery.routingKey, correlationId: delivery.correlationId } as const;
      await this.commandBus.execute(new CalculateOrderCommand(order.id, origin));
      // After the calculation, which dispatches the events recorded so far (OrderReceived too):
      // the read row is written once, in its final state. What is left here is normally nothing.
      await this.events.dispatch(order.pullEvents());
      return { outcome: 'accepted', orderId: order.id, externalId: placed.externalId };
    });
  }
}
