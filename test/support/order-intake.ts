import {
  CalculateOrderCommand,
  CalculateOrderCommandHandler,
  DomainEventDispatcher,
  OrderEventsOutboxWriter,
  OrderChanges,
  OrderHistoryWriter,
  OrderViewProjector,
  ReceiveOrderCommand,
  ReceiveOrderCommandHandler,
  type ReceiveOrderResult,
} from '@app/ordering';
import type { CommandBus } from '@nestjs/cqrs';
import { OutboxSignal } from '../../apps/order-service/src/outbound/outbox/outbox.signal.js';
import { TypeOrmOrderEventsOutbox } from '../../apps/order-service/src/outbound/outbox/postgres/typeorm-order-events.outbox.js';
import { TypeOrmOrderHistoryStore } from '../../apps/order-service/src/outbound/postgres/typeorm-order-history.store.js';
import { TypeOrmOrderViewStore } from '../../apps/order-service/src/outbound/postgres/typeorm-order-view.store.js';
import { TypeOrmOrderRepository } from '../../apps/order-service/src/outbound/postgres/typeorm-order.repository.js';
import type { TypeOrmUnitOfWork } from '../../apps/order-service/src/outbound/postgres/typeorm-unit-of-work.js';
import type { OrderMessage } from '../fixtures/order.mother.js';

/** The ordering core's dispatcher on the real Postgres adapters, as ordering-application.providers wires it. */
function wiredOn(unitOfWork: TypeOrmUnitOfWork) {
  const orders = new TypeOrmOrderRepository(unitOfWork);
  const events = new DomainEventDispatcher([
    new OrderViewProjector(orders, new TypeOrmOrderViewStore(unitOfWork)),
    new OrderHistoryWriter(new TypeOrmOrderHistoryStore(unitOfWork)),
    new OrderEventsOutboxWriter(new TypeOrmOrderEventsOutbox(unitOfWork, new OutboxSignal())),
  ]);
  return { orders, events, clock: { now: () => new Date() } };
}

/** The lifecycle's changes (payments, shipping, delivery, cancellation) on the real Postgres adapters. */
export function changesOn(unitOfWork: TypeOrmUnitOfWork): OrderChanges {
  const { orders, events, clock } = wiredOn(unitOfWork);
  return new OrderChanges(orders, unitOfWork, clock, events);
}

/** ReceiveOrder and CalculateOrder wired to the real Postgres adapters, as the service wires them. */
export function intakeOn(unitOfWork: TypeOrmUnitOfWork) {
  const { orders, events, clock } = wiredOn(unitOfWork);
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
