import {
  ConfirmedPublisher,
  EventQueueConsumer,
  type OrderCalculatedMessage,
  type OrderStatusChangedMessage,
} from '@app/simulators';
import type { OrderPayments, PaymentMessage, PaymentPlan } from './payment-plan.js';
import { PaymentTally } from './payment-summary.js';

export interface PaymentSystemSettings {
  readonly url: string;
  /** The service's events exchange and the routing keys of OrderCalculated and OrderPaymentFailed. */
  readonly eventsExchange: string;
  readonly calculatedRoutingKey: string;
  readonly paymentFailedRoutingKey: string;
  /** The payment system's own durable queue, declared and bound here. */
  readonly queue: string;
  readonly prefetch: number;
  readonly paymentsExchange: string;
  readonly confirmedRoutingKey: string;
  readonly rejectedRoutingKey: string;
}

type OrderEvent = OrderCalculatedMessage | OrderStatusChangedMessage;

/**
 * The payment system of contract section 4.1: it learns of each order from OrderCalculated, pays it
 * (or not) as its plan says, and when a refused order's OrderPaymentFailed arrives, pays again if
 * the customer was to retry. Every payment is persistent and confirmed by the broker before the
 * event that caused it is acknowledged.
 */
export class PaymentSystem {
  readonly tally = new PaymentTally();
  /** Orders whose customer pays again once told of the refusal, by orderId. */
  private readonly retries = new Map<string, readonly PaymentMessage[]>();
  private consumer!: EventQueueConsumer<OrderEvent>;

  private constructor(
    private readonly settings: PaymentSystemSettings,
    private readonly plan: PaymentPlan,
    private readonly publisher: ConfirmedPublisher,
  ) {}

  static async start(
    settings: PaymentSystemSettings,
    plan: PaymentPlan,
    onFatal: (error: Error) => void,
  ): Promise<PaymentSystem> {
    const publisher = await ConfirmedPublisher.connect({
      url: settings.url,
      exchange: settings.paymentsExchange,
      connectionName: 'payment-system example',
    });
    const system = new PaymentSystem(settings, plan, publisher);
    system.consumer = await EventQueueConsumer.start(
      {
        url: settings.url,
        connectionName: 'payment-system example',
        queue: settings.queue,
        binding: {
          exchange: settings.eventsExchange,
          routingKeys: [settings.calculatedRoutingKey, settings.paymentFailedRoutingKey],
        },
        prefetch: settings.prefetch,
      },
      readOrderEvent,
      (event) => system.handle(event),
      onFatal,
    );
    return system;
  }

  get consumed() {
    return this.consumer.counts;
  }

  get inFlightCount(): number {
    return this.consumer.inFlightCount;
  }

  get publishCounts() {
    return this.publisher.counts;
  }

  /** Refused orders whose OrderPaymentFailed has not arrived yet: their second payment is not sent. */
  get awaitingFailure(): number {
    return this.retries.size;
  }

  async stop(): Promise<void> {
    await this.consumer.stop();
    await this.publisher.close();
  }

  private async handle(event: OrderEvent): Promise<void> {
    if (event.eventType === 'OrderCalculated') return this.pay(event as OrderCalculatedMessage);
    const retry = this.retries.get(event.orderId);
    if (retry === undefined) return; // refused for good, or a repeated event
    await this.send(retry);
    this.retries.delete(event.orderId);
  }

  private async pay(order: OrderCalculatedMessage): Promise<void> {
    const payments: OrderPayments = this.plan.paymentsFor(order);
    // Kept before the refusal is sent: its OrderPaymentFailed may come back at once.
    if (payments.afterFailure.length > 0) this.retries.set(order.orderId, payments.afterFailure);
    await this.send(payments.now);
    this.tally.order(payments);
  }

  /** In the order planned, each confirmed by the broker before the next. */
  private async send(messages: readonly PaymentMessage[]): Promise<void> {
    for (const message of messages) {
      const { confirmedRoutingKey, rejectedRoutingKey } = this.settings;
      const routingKey = message.outcome === 'confirmed' ? confirmedRoutingKey : rejectedRoutingKey;
      await this.publisher.confirmed(routingKey, message.body, message.messageId);
      this.tally.payment(message);
    }
  }
}

function readOrderEvent(content: Buffer): OrderEvent | null {
  const event = JSON.parse(content.toString('utf8')) as Partial<OrderEvent>;
  if (typeof event.eventId !== 'string' || typeof event.orderId !== 'string') return null;
  if (event.eventType === 'OrderCalculated' && typeof (event as OrderCalculatedMessage).total === 'string') {
    return event as OrderCalculatedMessage;
  }
  return event.eventType === 'OrderPaymentFailed' ? (event as OrderStatusChangedMessage) : null;
}
