import { CalculateOrderCommandHandler } from './commands/calculate-order/calculate-order.command-handler.js';
import { RebuildOrderViewsCommandHandler } from './commands/rebuild-order-views/rebuild-order-views.command-handler.js';
import { ReceiveOrderCommandHandler } from './commands/receive-order/receive-order.command-handler.js';
import { DomainEventDispatcher } from './events/domain-event.dispatcher.js';
import { OrderCalculatedOutboxWriter } from './events/order-calculated.outbox-writer.js';
import { OrderViewProjector } from './events/order-view.projector.js';
import type { TransactionalEventHandler } from './events/transactional-event.handler.js';
import { GetOrderQueryHandler } from './queries/get-order/get-order.query-handler.js';
import { GetOrderStatsQueryHandler } from './queries/get-order-stats/get-order-stats.query-handler.js';
import { ListOrdersQueryHandler } from './queries/list-orders/list-orders.query-handler.js';

export const commandHandlers = [
  ReceiveOrderCommandHandler,
  CalculateOrderCommandHandler,
  RebuildOrderViewsCommandHandler,
];

export const queryHandlers = [GetOrderQueryHandler, ListOrdersQueryHandler, GetOrderStatsQueryHandler];

/** Run in the order listed, inside the transaction that recorded the event. */
export const transactionalEventHandlers = [OrderViewProjector, OrderCalculatedOutboxWriter];

/** Everything the ordering core provides; the application module adds the adapters for its ports. */
export const orderingApplicationProviders = [
  ...commandHandlers,
  ...queryHandlers,
  ...transactionalEventHandlers,
  {
    provide: DomainEventDispatcher,
    useFactory: (...handlers: TransactionalEventHandler[]) => new DomainEventDispatcher(handlers),
    inject: transactionalEventHandlers,
  },
];
