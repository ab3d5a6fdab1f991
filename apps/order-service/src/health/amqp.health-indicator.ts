import { Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { AmqpInboundServer } from '../inbound/amqp/amqp-inbound.server.js';
import { AmqpPublisher } from '../outbound/amqp/amqp-publisher.js';

/**
 * Reads the state of the connections the service actually uses: the inbound consumer must be
 * attached right now and the publisher connected. (The stock microservice indicator opens a fresh
 * connection per check, which succeeds while the service's own consumer is gone.)
 */
@Injectable()
export class AmqpHealthIndicator {
  constructor(
    private readonly inbound: AmqpInboundServer,
    private readonly publisher: AmqpPublisher,
    private readonly health: HealthIndicatorService,
  ) {}

  check(key = 'broker'): HealthIndicatorResult {
    const session = this.health.check(key);
    const state = {
      consumer: this.inbound.inboundStatus,
      publisher: this.publisher.isConnected() ? 'connected' : 'disconnected',
    };
    return this.inbound.consuming && this.publisher.isConnected() ? session.up(state) : session.down(state);
  }
}
