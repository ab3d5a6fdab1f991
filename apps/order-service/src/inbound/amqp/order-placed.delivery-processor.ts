import { Injectable, Logger } from '@nestjs/common';
import { ReceiveOrderCommand, type ReceiveOrderResult } from '@app/ordering';
import { DeadLetterPublisher } from '../../messaging/dead-letter.publisher.js';
import { OffThreadOrderDecoder } from '../../messaging/off-thread-order-decoder.js';
import { decodeJsonMessage } from '../../messaging/json-message.decoder.js';
import type { Rejection } from '../../messaging/rejection.js';
import { OrderServiceMetrics } from '../../observability/order-service.metrics.js';
import { DeliveryProcessor, InboundProcessingSettings, RedeliveryIsolation } from './delivery-processor.js';
import type { InboundDelivery } from './inbound-delivery.js';
import { OrderIntakeBatcher } from './order-intake.batcher.js';

/** Product A's orders: each delivery becomes a ReceiveOrder command, batched with others in one transaction. */
@Injectable()
export class OrderPlacedDeliveryProcessor extends DeliveryProcessor<unknown, ReceiveOrderResult> {
  protected readonly logger = new Logger('OrderIntake');

  constructor(
    private readonly intake: OrderIntakeBatcher,
    private readonly largeBodies: OffThreadOrderDecoder,
    deadLetters: DeadLetterPublisher,
    isolation: RedeliveryIsolation,
    settings: InboundProcessingSettings,
    metrics: OrderServiceMetrics,
  ) {
    super(deadLetters, isolation, settings, metrics);
  }

  /** A large body on the decoding thread; an oversized one is refused here, unread. */
  protected decode({ content }: InboundDelivery): unknown {
    const { maxMessageBytes, offThreadDecodeBytes } = this.settings;
    if (content.length < offThreadDecodeBytes || content.length > maxMessageBytes) {
      return decodeJsonMessage(content, maxMessageBytes);
    }
    return this.largeBodies.decode(content, maxMessageBytes);
  }

  protected attempt(body: unknown, delivery: InboundDelivery): Promise<ReceiveOrderResult> {
    return this.intake.submit(new ReceiveOrderCommand(body, delivery.metadata));
  }

  protected acknowledged(result: ReceiveOrderResult): void {
    if (result.outcome === 'duplicate') {
      this.metrics.ordersDuplicate.inc();
    } else {
      this.metrics.ordersReceived.inc();
      this.metrics.ordersCalculated.inc();
    }
    this.logger.log({ message: `Order ${result.outcome}`, ...result });
  }

  protected deadLettered({ reason }: Rejection): void {
    this.metrics.ordersRejected.inc({ reason });
  }
}
