import { CalculateOrderCommandHandler } from './commands/calculate-order/calculate-order.command-handler.js';
import { ReceiveOrderCommandHandler } from './commands/receive-order/receive-order.command-handler.js';

export const commandHandlers = [ReceiveOrderCommandHandler, CalculateOrderCommandHandler];
