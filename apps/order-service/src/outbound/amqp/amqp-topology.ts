import { Logger } from '@nestjs/common';
import type amqp from 'amqplib';
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

export function topologyOf(names: BrokerNames): TopologySettings {
  return {
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
 * products A and B. Queues carry no x-arguments, so a peer that declares them as plain durable
 * queues (the contract tells it nothing more) agrees with us instead of failing with 406. If a peer
 * declared something with other settings anyway, we keep theirs and say so rather than not start.
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
      } catch (error) {
        if ((error as { code?: number }).code !== PRECONDITION_FAILED) throw error;
        logger.warn(`${what} exists with other settings; keeping them: ${(error as Error).message}`);
      }
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
    await declare(`queue ${topology.inboundQueue}`, (ch) => ch.assertQueue(topology.inboundQueue, durable));
    await declare(`queue ${topology.deadLetterQueue}`, (ch) => ch.assertQueue(topology.deadLetterQueue, durable));
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
