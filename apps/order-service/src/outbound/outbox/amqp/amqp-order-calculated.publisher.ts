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
 * Publishes outbox messages to product B's exchange with `mandatory` on a confirm channel: a
 * message counts as published only once the broker confirmed it and routed it to a queue.
 */
@Injectable()
export class AmqpOrderCalculatedPublisher {
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
    const firstFailure = outcomes.find((outcome) => !isRouted(outcome));
    return { published, failed, failure: firstFailure && this.describeFailure(firstFailure) };
  }

  private mandatory(message: CommittedOutboxMessage): MandatoryMessage {
    return {
      exchange: this.settings.exchange,
      routingKey: this.settings.routingKey,
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

  private describeFailure(outcome: PromiseSettledResult<MandatoryOutcome>): PublishFailure {
    return outcome.status === 'fulfilled'
      ? {
          reason: 'unroutable',
          error: `Unroutable: no queue is bound to exchange ${this.settings.exchange} with routing key ${this.settings.routingKey}`,
        }
      : { reason: 'error', error: errorMessage(outcome.reason) };
  }
}

function isRouted(outcome: PromiseSettledResult<MandatoryOutcome>): boolean {
  return outcome.status === 'fulfilled' && outcome.value === 'routed';
}
