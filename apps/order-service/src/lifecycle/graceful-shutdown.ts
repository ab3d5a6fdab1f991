import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AmqpInboundServer } from '../inbound/amqp/amqp-inbound.server.js';
import { OrderPlacedDeliveryProcessor } from '../inbound/amqp/order-placed.delivery-processor.js';
import { PaymentDeliveryProcessor } from '../inbound/amqp/payment.delivery-processor.js';
import { OutboxRelay } from '../outbound/outbox/outbox.relay.js';

export class ShutdownSettings {
  /** How long the relay may go on publishing after the deliveries in hand have settled. */
  readonly outboxDrainMs: number;

  constructor(fields: ShutdownSettings) {
    Object.assign(this, fields);
  }
}

/**
 * The order in which a SIGTERM winds the service down, before Nest closes the connections:
 * take no new delivery, let the ones in hand commit and be acked, then publish what they produced.
 * Anything unfinished is safe: unacked deliveries return to the queue, committed events stay in the outbox.
 */
@Injectable()
export class GracefulShutdown implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');

  constructor(
    private readonly inbound: AmqpInboundServer,
    private readonly orders: OrderPlacedDeliveryProcessor,
    private readonly payments: PaymentDeliveryProcessor,
    private readonly relay: OutboxRelay,
    private readonly settings: ShutdownSettings,
  ) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`Shutting down (${signal ?? 'close'}): consumer stopped, settling deliveries in hand`);
    await this.inbound.stopConsuming();
    await Promise.all([this.orders.drain(), this.payments.drain()]);
    await this.relay.drainAndStop(this.settings.outboxDrainMs);
    this.logger.log('Deliveries settled and outbox relayed; closing connections');
  }
}
