import {
  CalculateOrderCommand,
  CalculateOrderCommandHandler,
  DomainEventDispatcher,
  OrderEventsOutboxWriter,
  OrderViewProjector,
  ReceiveOrderCommand,
  ReceiveOrderCommandHandler,
  type ReceiveOrderResult,
} from '@app/ordering';
import type { CommandBus } from '@nestjs/cqrs';
import { OutboxSignal } from '../../apps/order-service/src/outbound/outbox/outbox.signal.js';
import { TypeOrmOrderEventsOutbox } from '../../apps/order-service/src/outbound/outbox/postgres/typeorm-order-events.outbox.js';
import { TypeOrmOrderViewStore } from '../../apps/order-service/src/outbound/postgres/typeorm-order-view.store.js';
import { TypeOrmOrderRepository } from '../../apps/order-service/src/outbound/postgres/typeorm-order.repository.js';
import type { TypeOrmUnitOfWork } from '../../apps/order-service/src/outbound/postgres/typeorm-unit-of-work.js';
import type { OrderMessage } from '../fixtures/order.mother.js';

/** ReceiveOrder and CalculateOrder wired to the real Postgres adapters, as the service wires them. */
export function intakeOn(unitOfWork: TypeOrmUnitOfWork) {
  const orders = new TypeOrmOrderRepository(unitOfWork);
  const events = new DomainEventDispatcher([
    new OrderViewProjector(orders, new TypeOrmOrderViewStore(unitOfWork)),
    new OrderEventsOutboxWriter(new TypeOrmOrderEventsOutbox(unitOfWork, new OutboxSignal())),
  ]);
  const clock = { now: () => new Date() };
  const calculate = new CalculateOrderCommandHandler(orders, unitOfWork, clock, events);
  const commandBus = {
    execute: (command: CalculateOrderCommand) => calculate.execute(command),
  } as unknown as CommandBus;
  const receive = new ReceiveOrderCommandHandler(
    orders,
    unitOfWork,
    commandBus,
    { newId: () => crypto.randomUUID() },
    clock,
    events,
  );
  return (message: OrderMessage): Promise<ReceiveOrderResult> =>
    receive.execute(
      new ReceiveOrderCommand(message, { messageId: null, correlationId: null, routingKey: 'order.placed' }),
    );
}
