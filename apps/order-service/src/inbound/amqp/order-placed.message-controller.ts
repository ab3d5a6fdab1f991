import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, RmqContext } from '@nestjs/microservices';
import type { Channel, ConsumeMessage } from 'amqplib';
import { InboundDelivery } from './inbound-delivery.js';
import { OrderPlacedDeliveryProcessor } from './order-placed.delivery-processor.js';
import { ORDER_PLACED_PATTERN } from './amqp-inbound.server.js';

/** AMQP in: product A's OrderPlaced messages become ReceiveOrder commands. */
@Controller()
export class OrderPlacedMessageController {
  constructor(private readonly processor: OrderPlacedDeliveryProcessor) {}

  @EventPattern(ORDER_PLACED_PATTERN)
  async onOrderPlaced(@Ctx() context: RmqContext): Promise<void> {
    const delivery = new InboundDelivery(context.getMessage() as ConsumeMessage, context.getChannelRef() as Channel);
    await this.processor.process(delivery);
  }
}
