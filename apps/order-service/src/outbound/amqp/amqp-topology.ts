import { Logger } from '@nestjs/common';
import amqp from 'amqplib';
import { RabbitmqNodes } from '../../config/rabbitmq-nodes.js';

export interface TopologySettings {
  readonly inboundExchange: string;
  readonly inboundRoutingKey: string;
  readonly inboundQueue: string;
  readonly deadLetterExchange: string;
  readonly deadLetterQueue: string;
  readonly eventsExchange: string;
  readonly eventsRoutingKey: string;
  readonly eventsQueue: string;
  /** The status-change queue and the routing keys it is bound with (one per status event). */
  readonly statusEventsQueue: string;
  readonly statusRoutingKeys: readonly string[];
  readonly paymentsExchange: string;
  readonly paymentsRoutingKeys: readonly string[];
  readonly paymentsQueue: string;
  readonly paymentsDeadLetterExchange: string;
  readonly paymentsDeadLetterQueue: string;
  /** The inbound quorum queues' x-delivery-limit: INBOUND_DELIVERY_LIMIT. */
  readonly inboundDeliveryLimit: number;
}

/** The broker names as the environment spells them (the contract's defaults, each configurable). */
export interface BrokerNames {
  readonly INBOUND_EXCHANGE: string;
  readonly INBOUND_ROUTING_KEY: string;
  readonly INBOUND_QUEUE: string;
  readonly DEAD_LETTER_EXCHANGE: string;
  readonly DEAD_LETTER_QUEUE: string;
  readonly EVENTS_EXCHANGE: string;
  readonly EVENTS_ROUTING_KEY: string;
  readonly EVENTS_QUEUE: string;
  readonly EVENTS_PAID_ROUTING_KEY: string;
  readonly EVENTS_PAYMENT_FAILED_ROUTING_KEY: string;
  readonly EVENTS_SHIPPED_ROUTING_KEY: string;
  readonly EVENTS_DELIVERED_ROUTING_KEY: string;
  readonly EVENTS_CANCELLED_ROUTING_KEY: string;
  readonly STATUS_EVENTS_QUEUE: string;
  readonly PAYMENTS_EXCHANGE: string;
  readonly PAYMENTS_CONFIRMED_ROUTING_KEY: string;
  readonly PAYMENTS_REJECTED_ROUTING_KEY: string;
  readonly PAYMENTS_QUEUE: string;
  readonly PAYMENTS_DEAD_LETTER_EXCHANGE: string;
  readonly PAYMENTS_DEAD_LETTER_QUEUE: string;
}

/** The routing key of each event type the service publishes (contract sections 2 and 4.3). */
export function eventRoutingKeysOf(names: BrokerNames): Readonly<Record<string, string>> {
  return {
    OrderCalculated: names.EVENTS_ROUTING_KEY,
    OrderPaid: names.EVENTS_PAID_ROUTING_KEY,
    OrderPaymentFailed: names.EVENTS_PAYMENT_FAILED_ROUTING_KEY,
    OrderShipped: names.EVENTS_SHIPPED_ROUTING_KEY,
    OrderDelivered: names.EVENTS_DELIVERED_ROUTING_KEY,
    OrderCancelled: names.EVENTS_CANCELLED_ROUTING_KEY,
  };
}

/**
 * The broker's own limit on the inbound queues, a backstop for a message that kills the process
 * before the service can mark it. A delivery's x-delivery-count rises once for every process (or
 * channel) that dies while it is in hand; the service lets a message that crashes it kill at most
 * 1 + PROCESSING_MAX_DELIVERIES processes (once unmarked as a first delivery, then under its mark),
 * so a valid message beside it gains at most that much: 20 absorbs five such messages in one
 * prefetch window at the default of 3, two at the highest setting (9). architecture.md, decision 20.
 */
export const INBOUND_DELIVERY_LIMIT = 20;

export function topologyOf(names: BrokerNames): TopologySettings {
  return {
    inboundDeliveryLimit: INBOUND_DELIVERY_LIMIT,
    inboundExchange: names.INBOUND_EXCHANGE,
    inboundRoutingKey: names.INBOUND_ROUTING_KEY,
    inboundQueue: names.INBOUND_QUEUE,
    deadLetterExchange: names.DEAD_LETTER_EXCHANGE,
    deadLetterQueue: names.DEAD_LETTER_QUEUE,
    eventsExchange: names.EVENTS_EXCHANGE,
    eventsRoutingKey: names.EVENTS_ROUTING_KEY,
    eventsQueue: names.EVENTS_QUEUE,
    statusEventsQueue: names.STATUS_EVENTS_QUEUE,
    statusRoutingKeys: [
      names.EVENTS_PAID_ROUTING_KEY,
      names.EVENTS_PAYMENT_FAILED_ROUTING_KEY,
      names.EVENTS_SHIPPED_ROUTING_KEY,
      names.EVENTS_DELIVERED_ROUTING_KEY,
      names.EVENTS_CANCELLED_ROUTING_KEY,
    ],
    paymentsExchange: names.PAYMENTS_EXCHANGE,
    paymentsRoutingKeys: [names.PAYMENTS_CONFIRMED_ROUTING_KEY, names.PAYMENTS_REJECTED_ROUTING_KEY],
    paymentsQueue: names.PAYMENTS_QUEUE,
    paymentsDeadLetterExchange: names.PAYMENTS_DEAD_LETTER_EXCHANGE,
    paymentsDeadLetterQueue: names.PAYMENTS_DEAD_LETTER_QUEUE,
  };
}

const PRECONDITION_FAILED = 406;

/**
 * Declares the contract's exchanges, queues and bindings; safe to run again and in any order with
 * products A and B and the payment system. The service's own queues (orders and payments in, and
 * their DLQs) are quorum queues, the inbound ones with a delivery limit, so that a message that crashes the process is counted across restarts
 * (`x-delivery-count`). `order.calculated` and `order.status-changed`, which product B may declare too,
 * carry no x-arguments,
 * so that a plain durable declaration agrees with ours (the vhost's default queue type decides its
 * type). A queue or exchange declared before with other settings (an older classic queue) is kept,
 * with a warning, rather than not starting.
 */
export async function declareTopology(url: string, topology: TopologySettings): Promise<void> {
  const logger = new Logger('AmqpTopology');
  const { connection } = await new RabbitmqNodes(url).connect();
  try {
    const declare = async (what: string, step: (channel: amqp.Channel) => Promise<unknown>) => {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined); // a 406 also arrives as a channel error; the await reports it
      try {
        await step(channel);
        await channel.close();
        return true;
      } catch (error) {
        if ((error as { code?: number }).code !== PRECONDITION_FAILED) throw error;
        logger.warn(`${what} exists with other settings; keeping them: ${(error as Error).message}`);
        return false;
      }
    };
    const quorum = async (queue: string, args: Record<string, unknown>) => {
      const arguments_ = { 'x-queue-type': 'quorum', ...args };
      if (await declare(`queue ${queue}`, (ch) => ch.assertQueue(queue, { durable: true, arguments: arguments_ })))
        return;
      // The queue is there (a 406 says so); a passive check makes sure before the bindings.
      await declare(`queue ${queue}`, (ch) => ch.checkQueue(queue));
      logger.warn(
        `Queue ${queue} is kept as it is, not as a quorum queue with ${JSON.stringify(arguments_)}: a message ` +
          'that crashes the service is not counted across restarts. README, Troubleshooting: moving to the quorum queue.',
      );
    };
    const durable = { durable: true };
    const exchanges = [
      topology.inboundExchange,
      topology.deadLetterExchange,
      topology.eventsExchange,
      topology.paymentsExchange,
      topology.paymentsDeadLetterExchange,
    ];
    for (const exchange of exchanges) {
      await declare(`exchange ${exchange}`, (ch) => ch.assertExchange(exchange, 'topic', durable));
    }
    // Past the broker's own limit a message goes to the DLQ without a reason header, rather than being dropped.
    const limited = (deadLetterExchange: string) => ({
      'x-delivery-limit': topology.inboundDeliveryLimit,
      'x-dead-letter-exchange': deadLetterExchange,
    });
    await quorum(topology.inboundQueue, limited(topology.deadLetterExchange));
    await quorum(topology.deadLetterQueue, {});
    await quorum(topology.paymentsQueue, limited(topology.paymentsDeadLetterExchange));
    await quorum(topology.paymentsDeadLetterQueue, {});
    for (const queue of [topology.eventsQueue, topology.statusEventsQueue]) {
      await declare(`queue ${queue}`, (ch) => ch.assertQueue(queue, durable));
    }
    const channel = await connection.createChannel();
    await channel.bindQueue(topology.inboundQueue, topology.inboundExchange, topology.inboundRoutingKey);
    // '#' catches every dead letter on a topic DLX; the routing key itself covers a direct one.
    await channel.bindQueue(topology.deadLetterQueue, topology.deadLetterExchange, '#');
    await channel.bindQueue(topology.deadLetterQueue, topology.deadLetterExchange, topology.inboundRoutingKey);
    await channel.bindQueue(topology.eventsQueue, topology.eventsExchange, topology.eventsRoutingKey);
    for (const routingKey of topology.statusRoutingKeys) {
      await channel.bindQueue(topology.statusEventsQueue, topology.eventsExchange, routingKey);
    }
    for (const routingKey of topology.paymentsRoutingKeys) {
      await channel.bindQueue(topology.paymentsQueue, topology.paymentsExchange, routingKey);
    }
    await channel.bindQueue(topology.paymentsDeadLetterQueue, topology.paymentsDeadLetterExchange, '#');
    await channel.close();
  } finally {
    await connection.close();
  }
}
