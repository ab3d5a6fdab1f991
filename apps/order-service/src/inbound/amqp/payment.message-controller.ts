import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, RmqContext } from '@nestjs/microservices';
import type { Channel, ConsumeMessage } from 'amqplib';
import { PAYMENT_PATTERN } from './amqp-inbound.server.js';
import { InboundDelivery } from './inbound-delivery.js';
import { PaymentDeliveryProcessor } from './payment.delivery-processor.js';

/** AMQP in: the payment system's confirmations and rejections become ConfirmPayment and RejectPayment commands. */
@Controller()
export class PaymentMessageController {
  constructor(private readonly processor: PaymentDeliveryProcessor) {}

  @EventPattern(PAYMENT_PATTERN)
  async onPayment(@Ctx() context: RmqContext): Promise<void> {
    const delivery = new InboundDelivery(context.getMessage() as ConsumeMessage, context.getChannelRef() as Channel);
    await this.processor.process(delivery);
  }
}
