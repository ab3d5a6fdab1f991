import { Injectable, Logger } from '@nestjs/common';
import { DependencyUnavailableError, ReceiveOrderCommand, type ReceiveOrderResult } from '@app/ordering';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeadLetterPublisher } from '../../messaging/dead-letter.publisher.js';
import { LogContext } from '../../observability/log-context.js';
import { OrderServiceMetrics } from '../../observability/order-service.metrics.js';
import { backoffDelay } from '../../resilience/backoff.js';
import { FailureBudget, type FailurePolicy } from '../../resilience/failure-budget.js';
import type { InboundDelivery } from './inbound-delivery.js';
import { decodeOrderMessage, UndecodableMessageError } from '../../messaging/order-message.decoder.js';
import { OrderIntakeBatcher } from './order-intake.batcher.js';
import { type Rejection, rejectionFor } from '../../messaging/rejection.js';
import { errorMessage } from '../../observability/error-message.js';

export class InboundProcessingSettings {
  /** When a message that keeps failing (not an outage) is dead-lettered as processing-failed. */
  readonly failures: FailurePolicy;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly shutdownGraceMs: number;
  readonly maxMessageBytes: number;

  constructor(fields: InboundProcessingSettings) {
    Object.assign(this, fields);
  }
}

/**
 * Turns one delivery of product A's order into exactly one settlement: ack once the effect is
 * committed (or found to be a duplicate), dead-letter with a reason when retrying cannot help, wait
 * and retry while a dependency is down, and give up on a message that keeps failing after
 * `maxAttempts`. It never throws: the transport would only log the error and leave the delivery
 * unacked for good.
 */
@Injectable()
export class OrderPlacedDeliveryProcessor {
  private readonly logger = new Logger('OrderIntake');
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    private readonly intake: OrderIntakeBatcher,
    private readonly deadLetters: DeadLetterPublisher,
    private readonly settings: InboundProcessingSettings,
    private readonly metrics: OrderServiceMetrics,
  ) {}

  async process(delivery: InboundDelivery): Promise<void> {
    // Deliveries arriving while stopping stay unacked; the broker requeues them when we disconnect.
    if (this.stopping) return;
    const work = LogContext.run(delivery.metadata, () =>
      this.settle(delivery).catch((error: unknown) =>
        this.logger.error({
          message: 'Delivery left unsettled; the broker will redeliver it',
          error: errorMessage(error),
        }),
      ),
    );
    this.inFlight.add(work);
    this.metrics.deliveriesInHand.inc();
    try {
      await work;
    } finally {
      this.inFlight.delete(work);
      this.metrics.deliveriesInHand.dec();
    }
  }

  /** Lets the deliveries in hand settle (up to the grace period); later ones are left to the broker. */
  async drain(): Promise<void> {
    this.stopping = true;
    await Promise.race([Promise.allSettled(this.inFlight), sleep(this.settings.shutdownGraceMs)]);
  }

  private async settle(delivery: InboundDelivery): Promise<void> {
    let body: unknown;
    try {
      body = decodeOrderMessage(delivery.content, this.settings.maxMessageBytes);
    } catch (error) {
      if (!(error instanceof UndecodableMessageError)) throw error;
      return this.deadLetter(delivery, error.rejection);
    }
    const budget = new FailureBudget(this.settings.failures, delivery.previousDeliveries);
    if (budget.crashedTooOften) {
      return this.deadLetter(delivery, {
        reason: 'processing-failed',
        detail: `Delivered ${budget.previousDeliveries} times without being settled: the process handling it stopped each time`,
      });
    }
    for (let outages = 0; delivery.isOpen();) {
      try {
        const result = await this.intake.submit(new ReceiveOrderCommand(body, delivery.metadata));
        if (delivery.ack()) {
          this.counted(result);
          this.logger.log({ message: `Order ${result.outcome}`, ...result });
        } else {
          this.logger.warn({ message: 'Not acked: the channel closed; the redelivery will be a duplicate', ...result });
        }
        return;
      } catch (error) {
        const rejection = rejectionFor(error);
        if (rejection) return this.deadLetter(delivery, rejection);
        if (error instanceof DependencyUnavailableError) {
          outages += 1;
          this.logger.warn({ message: 'Dependency unavailable; will retry', error: error.message });
          await this.pause(outages);
          continue;
        }
        if (budget.failed()) {
          return this.deadLetter(delivery, {
            reason: 'processing-failed',
            detail: `Processing failed ${budget.attempts} times; last error: ${errorMessage(error)}`,
          });
        }
        this.logger.warn({ message: `Processing failed (attempt ${budget.attempts})`, error: errorMessage(error) });
        await this.pause(budget.attempts);
      }
    }
  }

  private async deadLetter(delivery: InboundDelivery, rejection: Rejection): Promise<void> {
    for (let outages = 0; delivery.isOpen();) {
      try {
        await this.deadLetters.publish(delivery.message, rejection);
        if (delivery.ack()) {
          this.metrics.ordersRejected.inc({ reason: rejection.reason });
          this.logger.warn({ message: 'Message dead-lettered', ...rejection });
        }
        return;
      } catch (error) {
        outages += 1;
        this.logger.warn({ message: 'Dead-letter publish failed; will retry', error: errorMessage(error) });
        await this.pause(outages);
      }
    }
  }

  private counted({ outcome }: ReceiveOrderResult): void {
    if (outcome === 'duplicate') {
      this.metrics.ordersDuplicate.inc();
      return;
    }
    this.metrics.ordersReceived.inc();
    this.metrics.ordersCalculated.inc();
  }

  private pause(attempt: number): Promise<void> {
    const { retryBaseDelayMs, retryMaxDelayMs } = this.settings;
    return sleep(backoffDelay(attempt, retryBaseDelayMs, retryMaxDelayMs));
  }
}
