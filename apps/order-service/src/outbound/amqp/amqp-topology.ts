import { Logger } from '@nestjs/common';
import amqp from 'amqplib';
import { Environment } from '../../config/environment.js';
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
  /**
   * The inbound quorum queue's x-delivery-limit: above the deliveries after which the service
   * dead-letters a message itself (PROCESSING_MAX_DELIVERIES), so that its reason comes first.
   */
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
}

export function topologyOf(
  names: BrokerNames,
  maxDeliveries = new Environment().PROCESSING_MAX_DELIVERIES,
): TopologySettings {
  return {
    inboundDeliveryLimit: 2 * maxDeliveries,
    inboundExchange: names.INBOUND_EXCHANGE,
    inboundRoutingKey: names.INBOUND_ROUTING_KEY,
    inboundQueue: names.INBOUND_QUEUE,
    deadLetterExchange: names.DEAD_LETTER_EXCHANGE,
    deadLetterQueue: names.DEAD_LETTER_QUEUE,
    eventsExchange: names.EVENTS_EXCHANGE,
    eventsRoutingKey: names.EVENTS_ROUTING_KEY,
    eventsQueue: names.EVENTS_QUEUE,
  };
}

const PRECONDITION_FAILED = 406;

/**
 * Declares the contract's exchanges, queues and bindings; safe to run again and in any order with
 * products A and B. The service's own queues (inbound and its DLQ) are quorum queues, the inbound
 * one with a delivery limit, so that a message that crashes the process is counted across restarts
 * (`x-delivery-count`). `order.calculated`, which product B may declare too, carries no x-arguments,
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
    await declare(`exchange ${topology.inboundExchange}`, (ch) =>
      ch.assertExchange(topology.inboundExchange, 'topic', durable),
    );
    await declare(`exchange ${topology.deadLetterExchange}`, (ch) =>
      ch.assertExchange(topology.deadLetterExchange, 'topic', durable),
    );
    await declare(`exchange ${topology.eventsExchange}`, (ch) =>
      ch.assertExchange(topology.eventsExchange, 'topic', durable),
    );
    // Past the broker's own limit a message goes to the DLQ without a reason header, rather than being dropped.
    await quorum(topology.inboundQueue, {
      'x-delivery-limit': topology.inboundDeliveryLimit,
      'x-dead-letter-exchange': topology.deadLetterExchange,
    });
    await quorum(topology.deadLetterQueue, {});
    await declare(`queue ${topology.eventsQueue}`, (ch) => ch.assertQueue(topology.eventsQueue, durable));
    const channel = await connection.createChannel();
    await channel.bindQueue(topology.inboundQueue, topology.inboundExchange, topology.inboundRoutingKey);
    // '#' catches every dead letter on a topic DLX; the routing key itself covers a direct one.
    await channel.bindQueue(topology.deadLetterQueue, topology.deadLetterExchange, '#');
    await channel.bindQueue(topology.deadLetterQueue, topology.deadLetterExchange, topology.inboundRoutingKey);
    await channel.bindQueue(topology.eventsQueue, topology.eventsExchange, topology.eventsRoutingKey);
    await channel.close();
  } finally {
    await connection.close();
  }
}
