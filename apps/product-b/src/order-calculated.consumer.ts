import {
  type ConsumedCounts,
  DecimalTotals,
  EventQueueConsumer,
  type OrderApiClient,
  type OrderCalculatedMessage,
} from '@app/simulators';
import { differences } from './order-verification.js';

export interface ConsumerSettings {
  readonly url: string;
  readonly exchange: string;
  readonly routingKey: string;
  /** Product B's own durable queue, declared and bound here (idempotently, as the service does). */
  readonly queue: string;
  readonly prefetch: number;
}

export interface ReceivedCounts extends ConsumedCounts {
  verified: number;
  mismatched: number;
}

/** What product B prints when it stops (`--json`). */
export interface ReceivedSummary extends ReceivedCounts {
  readonly queue: string;
  /** Distinct eventIds handled. */
  readonly orders: number;
  readonly totalsByCurrency: Record<string, string>;
  readonly mismatches: string[];
  readonly lastRetryReason: string | null;
  readonly error: string | null;
}

const MISMATCHES_KEPT = 20;

/**
 * Product B on the `order.calculated` queue (contract section 2): each OrderCalculated is checked
 * against the REST API before it is acknowledged.
 */
export class OrderCalculatedConsumer {
  readonly mismatches: string[] = [];
  readonly totals = new DecimalTotals();
  private verified = 0;
  private mismatched = 0;
  private queue!: EventQueueConsumer<OrderCalculatedMessage>;

  private constructor(private readonly api: OrderApiClient) {}

  static async start(
    settings: ConsumerSettings,
    api: OrderApiClient,
    onFatal: (error: Error) => void,
  ): Promise<OrderCalculatedConsumer> {
    const consumer = new OrderCalculatedConsumer(api);
    consumer.queue = await EventQueueConsumer.start(
      {
        url: settings.url,
        connectionName: 'product-b example',
        queue: settings.queue,
        binding: { exchange: settings.exchange, routingKeys: [settings.routingKey] },
        prefetch: settings.prefetch,
      },
      readMessage,
      (message) => consumer.verify(message),
      onFatal,
    );
    return consumer;
  }

  get counts(): ReceivedCounts {
    return { ...this.queue.counts, verified: this.verified, mismatched: this.mismatched };
  }

  get inFlightCount(): number {
    return this.queue.inFlightCount;
  }

  get orders(): number {
    return this.queue.handledCount;
  }

  get lastRetryReason(): string | null {
    return this.queue.lastRetryReason;
  }

  stop(): Promise<void> {
    return this.queue.stop();
  }

  private async verify(message: OrderCalculatedMessage): Promise<void> {
    const found = differences(message, await this.api.order(message.orderId));
    if (found.length === 0) {
      this.verified++;
      if (message.total !== null) this.totals.add(message.currency, message.total);
      return;
    }
    this.mismatched++;
    if (this.mismatches.length < MISMATCHES_KEPT) this.mismatches.push(`${message.externalId}: ${found.join('; ')}`);
  }
}

function readMessage(content: Buffer): OrderCalculatedMessage | null {
  const message = JSON.parse(content.toString('utf8')) as Partial<OrderCalculatedMessage>;
  return typeof message.eventId === 'string' && typeof message.orderId === 'string' && Array.isArray(message.items)
    ? (message as OrderCalculatedMessage)
    : null;
}
