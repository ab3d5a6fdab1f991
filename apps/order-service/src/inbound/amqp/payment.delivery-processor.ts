import { Injectable, Logger } from '@nestjs/common';
import {
  ConfirmPaymentCommand,
  InvalidPaymentError,
  type OrderChangeResult,
  OrderNotFoundError,
  parsePaymentNotice,
  type PaymentOutcome,
  RejectPaymentCommand,
} from '@app/ordering';
import { DeadLetterPublisher } from '../../messaging/dead-letter.publisher.js';
import { decodeJsonMessage, PAYMENT_MESSAGE } from '../../messaging/json-message.decoder.js';
import type { Rejection } from '../../messaging/rejection.js';
import { OrderServiceMetrics } from '../../observability/order-service.metrics.js';
import {
  type Deferral,
  DeliveryProcessor,
  InboundProcessingSettings,
  RedeliveryIsolation,
} from './delivery-processor.js';
import type { InboundDelivery } from './inbound-delivery.js';
import { PaymentBatcher } from './payment.batcher.js';

export class PaymentProcessingSettings {
  readonly confirmedRoutingKey: string;
  readonly rejectedRoutingKey: string;
  /** How long a payment for an unknown order is retried before it is dead-lettered unknown-order. */
  readonly unknownOrderRetryMs: number;
  /** Larger payment messages are dead-lettered unread. */
  readonly maxMessageBytes: number;

  constructor(fields: PaymentProcessingSettings) {
    Object.assign(this, fields);
  }
}

/**
 * The payment system's messages (docs/contract.md, section 4.1): each delivery becomes a
 * ConfirmPayment or RejectPayment command, by its routing key, batched with others in one transaction.
 */
@Injectable()
export class PaymentDeliveryProcessor extends DeliveryProcessor<unknown, OrderChangeResult> {
  protected readonly logger = new Logger('Payments');

  constructor(
    private readonly batcher: PaymentBatcher,
    private readonly payments: PaymentProcessingSettings,
    deadLetters: DeadLetterPublisher,
    isolation: RedeliveryIsolation,
    settings: InboundProcessingSettings,
    metrics: OrderServiceMetrics,
  ) {
    super(deadLetters, isolation, settings, metrics);
  }

  protected decode(delivery: InboundDelivery): unknown {
    return decodeJsonMessage(delivery.content, this.payments.maxMessageBytes, PAYMENT_MESSAGE);
  }

  protected attempt(body: unknown, delivery: InboundDelivery): Promise<OrderChangeResult> {
    const { routingKey, correlationId } = delivery.metadata;
    const payment = parsePaymentNotice(body, this.outcomeOf(routingKey));
    const origin = { source: 'amqp', actor: routingKey, correlationId } as const;
    return this.batcher.submit(
      payment.outcome === 'confirmed'
        ? new ConfirmPaymentCommand(payment, origin)
        : new RejectPaymentCommand(payment, origin),
    );
  }

  /** A payment may overtake its order: it waits for it, with backoff, up to the configured time. */
  protected override deferral(error: unknown, failingSinceMs: number): Deferral {
    if (!(error instanceof OrderNotFoundError)) return null;
    const { unknownOrderRetryMs } = this.payments;
    if (failingSinceMs < unknownOrderRetryMs) return { retry: true };
    return {
      retry: false,
      rejection: {
        reason: 'unknown-order',
        detail:
          `orderId ${error.orderId} names no order of this service, after waiting ${Math.round(unknownOrderRetryMs / 1000)} s ` +
          'for it; send the orderId of an OrderCalculated message.',
      },
    };
  }

  protected acknowledged(result: OrderChangeResult): void {
    this.metrics.paymentsReceived.inc({ outcome: result.outcome });
    this.logger.log({ message: `Payment ${result.outcome}`, ...result });
  }

  protected deadLettered({ reason }: Rejection): void {
    this.metrics.paymentsRejected.inc({ reason });
  }

  private outcomeOf(routingKey: string): PaymentOutcome {
    if (routingKey === this.payments.confirmedRoutingKey) return 'confirmed';
    if (routingKey === this.payments.rejectedRoutingKey) return 'rejected';
    throw new InvalidPaymentError(
      '(routing key)',
      `must be ${this.payments.confirmedRoutingKey} or ${this.payments.rejectedRoutingKey}, not ${JSON.stringify(routingKey)}`,
    );
  }
}
