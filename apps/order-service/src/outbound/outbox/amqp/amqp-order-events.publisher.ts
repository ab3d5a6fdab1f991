import { Injectable } from '@nestjs/common';
import { errorMessage } from '../../../observability/error-message.js';
import {
  failed,
  producerSpan,
  type Span,
  SpanStatusCode,
  type TraceCarrier,
} from '../../../observability/tracing/spans.js';
import { AmqpPublisher, type MandatoryMessage, type MandatoryOutcome } from '../../amqp/amqp-publisher.js';
import { OutboxRelaySettings } from '../outbox-relay.settings.js';
import type { CommittedOutboxMessage } from '../outbox.signal.js';

export interface PublishFailure {
  readonly reason: 'unroutable' | 'error';
  readonly error: string;
}

/** What one publish of a set of messages came to. */
export interface PublishRound {
  readonly published: readonly CommittedOutboxMessage[];
  readonly failed: readonly CommittedOutboxMessage[];
  readonly failure?: PublishFailure;
}

/**
 * Publishes outbox messages to the events exchange, each under its event type's routing key, with
 * `mandatory` on a confirm channel: a message counts as published only once the broker confirmed it
 * and routed it to a queue.
 */
@Injectable()
export class AmqpOrderEventsPublisher {
  constructor(
    private readonly publisher: AmqpPublisher,
    private readonly settings: OutboxRelaySettings,
  ) {}

  /** The broker refuses publishes for now (flow control); the relay leaves its rows in the outbox. */
  isBlocked(): boolean {
    return this.publisher.isBlocked();
  }

  untilUnblocked(): Promise<void> {
    return this.publisher.untilUnblocked();
  }

  /**
   * Each message in a span of the trace its row stored (the use case that wrote it), from the
   * publish until the broker has answered the round (confirm, return or refusal); its `traceparent`
   * header names that span, so the consumer joins the order's trace however late, and from
   * whichever replica, the row goes out.
   */
  async publishAll(messages: readonly CommittedOutboxMessage[]): Promise<PublishRound> {
    const traced = messages.map((message) => this.publishSpan(message));
    const outcomes = await this.publisher.publishAllMandatory(
      messages.map((message, index) => this.mandatory(message, traced[index].headers)),
    );
    outcomes.forEach((outcome, index) => endPublishSpan(traced[index].span, outcome));
    const published = messages.filter((_, index) => isRouted(outcomes[index]));
    const failed = messages.filter((_, index) => !isRouted(outcomes[index]));
    const firstFailure = outcomes.findIndex((outcome) => !isRouted(outcome));
    return {
      published,
      failed,
      failure: firstFailure < 0 ? undefined : this.describeFailure(outcomes[firstFailure], messages[firstFailure]),
    };
  }

  private publishSpan(message: CommittedOutboxMessage) {
    return producerSpan(`publish ${message.eventType}`, message.traceContext, {
      'messaging.system': 'rabbitmq',
      'messaging.operation.type': 'send',
      'messaging.destination.name': this.settings.exchange,
      'messaging.message.id': message.eventId,
      'order_service.outbox.row': message.id,
    });
  }

  private mandatory(message: CommittedOutboxMessage, traceHeaders: TraceCarrier | null): MandatoryMessage {
    return {
      exchange: this.settings.exchange,
      routingKey: this.routingKeyOf(message.eventType),
      content: Buffer.from(message.payload),
      options: {
        messageId: message.eventId,
        type: message.eventType,
        contentType: 'application/json',
        correlationId: message.correlationId ?? undefined,
        timestamp: Math.floor(message.occurredAt.getTime() / 1000),
        ...(traceHeaders === null ? {} : { headers: traceHeaders }),
      },
    };
  }

  /** A row of an event type this version does not know stays pending, with this error, for a version that does. */
  private routingKeyOf(eventType: string): string {
    const routingKey = this.settings.routingKeys[eventType];
    if (routingKey === undefined) throw new Error(`No routing key for event type ${eventType}`);
    return routingKey;
  }

  private describeFailure(
    outcome: PromiseSettledResult<MandatoryOutcome>,
    message: CommittedOutboxMessage,
  ): PublishFailure {
    return outcome.status === 'fulfilled'
      ? {
          reason: 'unroutable',
          error: `Unroutable: no queue is bound to exchange ${this.settings.exchange} with routing key ${this.routingKeyOf(message.eventType)}`,
        }
      : { reason: 'error', error: errorMessage(outcome.reason) };
  }
}

/** The span ends at the broker's answer: routed, returned as unroutable, or refused. */
function endPublishSpan(span: Span, outcome: PromiseSettledResult<MandatoryOutcome>): void {
  if (outcome.status === 'rejected') failed(span, outcome.reason);
  else if (outcome.value === 'unroutable') span.setStatus({ code: SpanStatusCode.ERROR, message: 'unroutable' });
  span.setAttribute('order_service.publish.outcome', outcome.status === 'fulfilled' ? outcome.value : 'error');
  span.end();
}

function isRouted(outcome: PromiseSettledResult<MandatoryOutcome>): boolean {
  return outcome.status === 'fulfilled' && outcome.value === 'routed';
}
