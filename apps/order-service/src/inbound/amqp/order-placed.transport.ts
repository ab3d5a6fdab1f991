import { type RmqOptions, Transport } from '@nestjs/microservices';
import type { Environment } from '../../config/environment.js';
import { OrderPlacedDeserializer } from './order-placed.deserializer.js';

/**
 * The RMQ transport that feeds product A's orders in. Manual acks (the default is auto-ack, which
 * would lose any message in flight at a crash) and a bounded prefetch (the default is unlimited,
 * which would pull the whole backlog into memory). Topology is declared beforehand by
 * declareTopology, so the transport asserts nothing.
 */
export function orderPlacedTransport(environment: Environment): RmqOptions {
  return {
    transport: Transport.RMQ,
    options: {
      urls: [environment.RABBITMQ_URL],
      queue: environment.INBOUND_QUEUE,
      noAck: false,
      noAssert: true,
      prefetchCount: environment.INBOUND_PREFETCH,
      isGlobalPrefetchCount: false,
      deserializer: new OrderPlacedDeserializer(),
      socketOptions: { heartbeatIntervalInSeconds: 10, reconnectTimeInSeconds: 2 },
    },
  };
}
