import type { Logger } from '@nestjs/common';
import { ConcurrentModificationError, DependencyUnavailableError } from '@app/ordering';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DeadLetterPublisher } from '../../messaging/dead-letter.publisher.js';
import { UndecodableMessageError } from '../../messaging/json-message.decoder.js';
import type { ProcessingMarks } from '../../messaging/processing-marks.js';
import { type Rejection, rejectionFor } from '../../messaging/rejection.js';
import { errorMessage } from '../../observability/error-message.js';
import { LogContext } from '../../observability/log-context.js';
import { inSpan, type Span, SpanKind, SpanStatusCode } from '../../observability/tracing/spans.js';
import type { OrderServiceMetrics } from '../../observability/order-service.metrics.js';
import { backoffDelay } from '../../resilience/backoff.js';
import { FailureBudget, type FailurePolicy } from '../../resilience/failure-budget.js';
import type { DeliveryLane } from './delivery-lane.js';
import type { InboundDelivery } from './inbound-delivery.js';

/** A first delivery runs together with the others: nothing to end after its first attempt. */
const noIsolation = () => Promise.resolve();

/** What every processor shares to handle a redelivered message alone, under a processing mark. */
export class RedeliveryIsolation {
  constructor(
    readonly lane: DeliveryLane,
    readonly marks: ProcessingMarks,
  ) {}
}

export class InboundProcessingSettings {
  /** When a message that keeps failing (not an outage) is dead-lettered as processing-failed. */
  readonly failures: FailurePolicy;
  readonly retryBaseDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly shutdownGraceMs: number;
  readonly maxMessageBytes: number;
  /** Bodies from this size up are read on a thread of their own, where the kind of message allows. */
  readonly offThreadDecodeBytes: number;

  constructor(fields: InboundProcessingSettings) {
    Object.assign(this, fields);
  }
}

/** What to do about an error that is neither a rejection nor an outage: wait and retry, or give up with a reason. */
export type Deferral = { readonly retry: true } | { readonly retry: false; readonly rejection: Rejection } | null;

/** A lost race (another writer committed first), whatever the message: run again, to read what won it. */
const LOST_RACE: Deferral = { retry: true };

/**
 * Turns one delivery into exactly one settlement: ack once the effect is committed (or found to be
 * a duplicate), dead-letter with a reason when retrying cannot help, wait and retry while a
 * dependency is down, and give up on a message that keeps failing after the failure policy's
 * attempts and time. It never throws: the transport would only log the error and leave the
 * delivery unacked for good. Subclasses say how a body is read and what the use case is.
 *
 * A redelivery (x-delivery-count above 0) was in hand when a process or its channel died, so it
 * may be what killed it: it runs alone, under a processing mark written before its body is read.
 * A mark found on a later delivery counts a process that died handling that very message, and
 * after the failure policy's maxCrashes of them it is dead-lettered unread. The delivery count
 * itself, which every delivery in hand shares, decides nothing.
 */
export abstract class DeliveryProcessor<Body, Result> {
  protected abstract readonly logger: Logger;
  private readonly inFlight = new Set<Promise<void>>();
  private stopping = false;

  protected constructor(
    private readonly deadLetters: DeadLetterPublisher,
    private readonly isolation: RedeliveryIsolation,
    protected readonly settings: InboundProcessingSettings,
    protected readonly metrics: OrderServiceMetrics,
  ) {}

  /** The body as the use case takes it; throws UndecodableMessageError for a body that is not JSON. */
  protected abstract decode(delivery: InboundDelivery): Body | Promise<Body>;

  /** Runs the use case once; its errors decide what happens to the delivery. */
  protected abstract attempt(body: Body, delivery: InboundDelivery): Promise<Result>;

  /** Counts and logs a delivery acknowledged with this result. */
  protected abstract acknowledged(result: Result): void;

  /** Counts a delivery dead-lettered with this reason. */
  protected abstract deadLettered(rejection: Rejection): void;

  /**
   * An error this kind of message waits out on its own terms (a payment ahead of its order); a lost
   * race is retried for every kind (LOST_RACE).
   */
  protected deferral(_error: unknown, _failingSinceMs: number): Deferral {
    return null;
  }

  async process(delivery: InboundDelivery): Promise<void> {
    // Deliveries arriving while stopping stay unacked; the broker requeues them when we disconnect.
    if (this.stopping) return;
    const work = LogContext.run(delivery.metadata, () =>
      inSpan(
        `process ${delivery.metadata.routingKey}`,
        { kind: SpanKind.CONSUMER, parent: delivery.traceContext, attributes: spanAttributesOf(delivery) },
        (span) => this.settle(delivery, span),
      ).catch((error: unknown) =>
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

  private settle(delivery: InboundDelivery, span: Span): Promise<void> {
    const { lane } = this.isolation;
    if (delivery.previousDeliveries === 0)
      return lane.together(() => this.settleWithin(delivery, span, 0, noIsolation));
    return lane.alone((release) => this.settleAlone(delivery, span, release));
  }

  /**
   * Alone and marked up to the end of its first attempt, which is where a message kills a process:
   * retries (an outage, a payment waiting for its order) then wait together with the others. The
   * mark is cleared then, unless the process died first: then it counts.
   */
  private async settleAlone(delivery: InboundDelivery, span: Span, release: () => void): Promise<void> {
    const { marks } = this.isolation;
    const digest = createHash('sha256').update(delivery.content).digest();
    const started = await this.retryWhileOpen(delivery, 'Processing mark not written', () => marks.start(digest));
    if (!started) return;
    this.logger.log({
      message: 'Redelivered; handling it alone',
      previousDeliveries: delivery.previousDeliveries,
      crashes: started.value,
    });
    let isolated = true;
    const endIsolation = async () => {
      if (!isolated) return;
      isolated = false;
      release();
      await marks
        .finish(digest)
        .catch((error: unknown) =>
          this.logger.warn({ message: 'Processing mark not cleared; it counts once more', error: errorMessage(error) }),
        );
    };
    try {
      await this.settleWithin(delivery, span, started.value, endIsolation);
    } finally {
      await endIsolation();
    }
  }

  private async settleWithin(
    delivery: InboundDelivery,
    span: Span,
    crashes: number,
    afterFirstAttempt: () => Promise<void>,
  ): Promise<void> {
    const budget = new FailureBudget(this.settings.failures, crashes);
    if (budget.crashedTooOften) {
      return this.deadLetter(
        delivery,
        {
          reason: 'processing-failed',
          detail: `The process handling it stopped each of the ${crashes} times it handled it alone; not processed again`,
        },
        span,
      );
    }
    let body: Body;
    try {
      body = await inSpan('decode', {}, async () => this.decode(delivery));
    } catch (error) {
      if (!(error instanceof UndecodableMessageError)) throw error;
      return this.deadLetter(delivery, error.rejection, span);
    }
    const startedAt = Date.now();
    for (let outages = 0, deferrals = 0; delivery.isOpen();) {
      try {
        const result = await this.attempt(body, delivery).finally(afterFirstAttempt);
        if (delivery.ack()) {
          this.acknowledged(result);
        } else {
          this.logger.warn({ message: 'Not acked: the channel closed; the redelivery will be a duplicate' });
        }
        return;
      } catch (error) {
        const rejection = rejectionFor(error);
        if (rejection) return this.deadLetter(delivery, rejection, span);
        if (error instanceof DependencyUnavailableError) {
          outages += 1;
          this.logger.warn({ message: 'Dependency unavailable; will retry', error: error.message });
          await this.pause(outages);
          continue;
        }
        const deferral =
          error instanceof ConcurrentModificationError ? LOST_RACE : this.deferral(error, Date.now() - startedAt);
        if (deferral && !deferral.retry) return this.deadLetter(delivery, deferral.rejection, span);
        if (deferral?.retry) {
          deferrals += 1;
          this.logger.log({ message: `Deferred (attempt ${deferrals}): ${errorMessage(error)}` });
          await this.pause(deferrals);
          continue;
        }
        if (budget.failed()) {
          return this.deadLetter(
            delivery,
            {
              reason: 'processing-failed',
              detail: `Processing failed ${budget.attempts} times; last error: ${errorMessage(error)}`,
            },
            span,
          );
        }
        this.logger.warn({ message: `Processing failed (attempt ${budget.attempts})`, error: errorMessage(error) });
        await this.pause(budget.attempts);
      }
    }
  }

  private async deadLetter(delivery: InboundDelivery, rejection: Rejection, span: Span): Promise<void> {
    recordRejection(span, rejection);
    const published = await this.retryWhileOpen(delivery, 'Dead-letter publish failed', () =>
      this.deadLetters.publish(delivery.message, rejection),
    );
    if (published && delivery.ack()) {
      this.deadLettered(rejection);
      this.logger.warn({ message: 'Message dead-lettered', ...rejection });
    }
  }

  /** Runs `step` until it succeeds, with backoff, while the delivery can still be settled; null once it cannot. */
  private async retryWhileOpen<T>(
    delivery: InboundDelivery,
    failure: string,
    step: () => Promise<T>,
  ): Promise<{ readonly value: T } | null> {
    for (let outages = 0; delivery.isOpen();) {
      try {
        return { value: await step() };
      } catch (error) {
        outages += 1;
        this.logger.warn({ message: `${failure}; will retry`, error: errorMessage(error) });
        await this.pause(outages);
      }
    }
    return null;
  }

  private pause(attempt: number): Promise<void> {
    const { retryBaseDelayMs, retryMaxDelayMs } = this.settings;
    return sleep(backoffDelay(attempt, retryBaseDelayMs, retryMaxDelayMs));
  }
}

function spanAttributesOf(delivery: InboundDelivery) {
  const { messageId, correlationId, routingKey } = delivery.metadata;
  return {
    'messaging.system': 'rabbitmq',
    'messaging.operation.type': 'process',
    'messaging.destination.name': delivery.message.fields.exchange,
    'messaging.rabbitmq.destination.routing_key': routingKey,
    ...(messageId === null ? {} : { 'messaging.message.id': messageId }),
    ...(correlationId === null ? {} : { 'messaging.message.conversation_id': correlationId }),
  };
}

/** The trace of a refused message says why, as its DLQ headers do. */
function recordRejection(span: Span, { reason, detail }: Rejection): void {
  span.setAttributes({ 'order_service.rejection.reason': reason, 'order_service.rejection.detail': detail });
  span.setStatus({ code: SpanStatusCode.ERROR, message: `dead-lettered: ${reason}` });
}
