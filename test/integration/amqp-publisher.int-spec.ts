import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareTopology, topologyOf } from '../../apps/order-service/src/outbound/amqp/amqp-topology.js';
import { AmqpPublisher, type MandatoryMessage } from '../../apps/order-service/src/outbound/amqp/amqp-publisher.js';
import { closeBrokerConnections } from '../support/rabbitmqctl.js';
import { eventually, RABBITMQ_URL, TestBroker } from '../support/test-broker.js';

describe('AmqpPublisher.publishAllMandatory against a real RabbitMQ', () => {
  const connectionName = `publisher-test-${randomUUID()}`;
  let broker: TestBroker;
  let publisher: AmqpPublisher;

  const messagesTo = (exchange: string, count: number): MandatoryMessage[] =>
    Array.from({ length: count }, () => {
      const messageId = randomUUID();
      return {
        exchange,
        routingKey: broker.names.EVENTS_ROUTING_KEY,
        content: Buffer.from(JSON.stringify({ eventId: messageId })),
        options: { messageId, contentType: 'application/json', type: 'OrderCalculated' },
      };
    });
  const idsIn = async (queue: string) =>
    (await broker.drain(queue)).map((message) => String(message.properties.messageId));

  beforeAll(async () => {
    broker = await TestBroker.connect();
    await declareTopology(RABBITMQ_URL, topologyOf(broker.names));
    publisher = new AmqpPublisher(RABBITMQ_URL, connectionName);
    // Once a first message is confirmed the channel is set up, so the rounds below go straight onto it.
    await publisher.publishAllMandatory(messagesTo(broker.names.EVENTS_EXCHANGE, 1));
    await broker.drain(broker.names.EVENTS_QUEUE);
  });

  afterAll(async () => {
    await publisher?.onApplicationShutdown();
    await broker?.deleteAll();
    await broker?.close();
  });

  it('settles a round with one outcome per message, in order: routed where a queue took it, unroutable where none did', async () => {
    const routed = messagesTo(broker.names.EVENTS_EXCHANGE, 300);
    const unroutable = messagesTo(broker.names.EVENTS_EXCHANGE, 2).map((message) => ({
      ...message,
      routingKey: 'no.queue.is.bound.to.this',
    }));
    const round = [...routed.slice(0, 150), ...unroutable, ...routed.slice(150)];

    const outcomes = await publisher.publishAllMandatory(round);

    expect(outcomes).toEqual(
      round.map((message) => ({
        status: 'fulfilled',
        value: unroutable.includes(message) ? 'unroutable' : 'routed',
      })),
    );
    expect(await idsIn(broker.names.EVENTS_QUEUE)).toEqual(routed.map((message) => message.options.messageId));
  });

  it('holds a round published while the broker has closed its connection, and publishes it once reconnected', async () => {
    expect(await closeBrokerConnections(connectionName)).toBe(1);
    await eventually(() => (!publisher.isConnected() ? true : undefined), 10_000, 'the publisher to notice');
    const round = messagesTo(broker.names.EVENTS_EXCHANGE, 20);

    const outcomes = await publisher.publishAllMandatory(round);

    expect(outcomes.every((outcome) => outcome.status === 'fulfilled' && outcome.value === 'routed')).toBe(true);
    expect(await idsIn(broker.names.EVENTS_QUEUE)).toEqual(round.map((message) => message.options.messageId));
  });
});
