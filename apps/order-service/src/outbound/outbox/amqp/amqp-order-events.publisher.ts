import { Injectable } from '@nestjs/common';
import { errorMessage } from '../../../observability/error-message.js';
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

  async publishAll(messages: readonly CommittedOutboxMessage[]): Promise<PublishRound> {
    const outcomes = await this.publisher.publishAllMandatory(messages.map((message) => this.mandatory(message)));
    const published = messages.filter((_, index) => isRouted(outcomes[index]));
    const failed = messages.filter((_, index) => !isRouted(outcomes[index]));
    const firstFailure = outcomes.findIndex((outcome) => !isRouted(outcome));
    return {
      published,
      failed,
      failure: firstFailure < 0 ? undefined : this.describeFailure(outcomes[firstFailure], messages[firstFailure]),
    };
  }

  private mandatory(message: CommittedOutboxMessage): MandatoryMessage {
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

function isRouted(outcome: PromiseSettledResult<MandatoryOutcome>): boolean {
  return outcome.status === 'fulfilled' && outcome.value === 'routed';
}
