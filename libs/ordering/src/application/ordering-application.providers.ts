import { CalculateOrderCommandHandler } from './commands/calculate-order/calculate-order.command-handler.js';
import { CancelOrderCommandHandler } from './commands/cancel-order/cancel-order.command-handler.js';
import { ConfirmPaymentCommandHandler } from './commands/confirm-payment/confirm-payment.command-handler.js';
import { DeliverOrderCommandHandler } from './commands/deliver-order/deliver-order.command-handler.js';
import { OrderChanges } from './commands/order-changes/order-changes.js';
import { RebuildOrderViewsCommandHandler } from './commands/rebuild-order-views/rebuild-order-views.command-handler.js';
import { ReceiveOrderCommandHandler } from './commands/receive-order/receive-order.command-handler.js';
import { RejectPaymentCommandHandler } from './commands/reject-payment/reject-payment.command-handler.js';
import { ShipOrderCommandHandler } from './commands/ship-order/ship-order.command-handler.js';
import { DomainEventDispatcher } from './events/domain-event.dispatcher.js';
import { OrderEventsOutboxWriter } from './events/order-events.outbox-writer.js';
import { OrderHistoryWriter } from './events/order-history.writer.js';
import { OrderViewProjector } from './events/order-view.projector.js';
import type { TransactionalEventHandler } from './events/transactional-event.handler.js';
import { GetOrderQueryHandler } from './queries/get-order/get-order.query-handler.js';
import { GetOrderHistoryQueryHandler } from './queries/get-order-history/get-order-history.query-handler.js';
import { GetOrderStatsQueryHandler } from './queries/get-order-stats/get-order-stats.query-handler.js';
import { ListOrdersQueryHandler } from './queries/list-orders/list-orders.query-handler.js';

export const commandHandlers = [
  ReceiveOrderCommandHandler,
  CalculateOrderCommandHandler,
  RebuildOrderViewsCommandHandler,
  ConfirmPaymentCommandHandler,
  RejectPaymentCommandHandler,
  ShipOrderCommandHandler,
  DeliverOrderCommandHandler,
  CancelOrderCommandHandler,
];

export const queryHandlers = [
  GetOrderQueryHandler,
  ListOrdersQueryHandler,
  GetOrderStatsQueryHandler,
  GetOrderHistoryQueryHandler,
];

/** Run in the order listed, inside the transaction that recorded the event. */
export const transactionalEventHandlers = [OrderViewProjector, OrderHistoryWriter, OrderEventsOutboxWriter];

/** Everything the ordering core provides; the application module adds the adapters for its ports. */
export const orderingApplicationProviders = [
  ...commandHandlers,
  ...queryHandlers,
  OrderChanges,
  ...transactionalEventHandlers,
  {
    provide: DomainEventDispatcher,
    useFactory: (...handlers: TransactionalEventHandler[]) => new DomainEventDispatcher(handlers),
    inject: transactionalEventHandlers,
  },
];
