import amqp, { type ConsumeMessage, type Message } from 'amqplib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelAcknowledgements } from '../../apps/order-service/src/inbound/amqp/channel-acknowledgements.js';
import { declareTopology, topologyOf } from '../../apps/order-service/src/outbound/amqp/amqp-topology.js';
import { eventually, RABBITMQ_URL, TestBroker } from '../support/test-broker.js';

const MESSAGES = 10;

/** A consumer on the inbound queue, as the service's transport registers deliveries. */
async function consumeAll(queue: string) {
  const connection = await amqp.connect(RABBITMQ_URL);
  const channel = await connection.createChannel();
  const acknowledgements = ChannelAcknowledgements.for(channel);
  const deliveries: ConsumeMessage[] = [];
  await channel.consume(
    queue,
    (message) => {
      if (!message) return;
      acknowledgements.received(message);
      deliveries.push(message);
    },
    { noAck: false },
  );
  await eventually(() => (deliveries.length === MESSAGES ? true : undefined), 10_000, `${MESSAGES} deliveries`);
  return { connection, channel, acknowledgements, deliveries };
}

const numbers = (messages: Message[]) =>
  messages.map((message) => (JSON.parse(message.content.toString()) as { n: number }).n).sort((a, b) => a - b);

describe('ChannelAcknowledgements against a real RabbitMQ', () => {
  let broker: TestBroker;

  beforeEach(async () => {
    broker = await TestBroker.connect();
    await declareTopology(RABBITMQ_URL, topologyOf(broker.names));
    for (let n = 0; n < MESSAGES; n++) await broker.publish({ n });
  });

  afterEach(async () => {
    await broker.deleteAll();
    await broker.close();
  });

  it('acks exactly what was settled, in any order: the unsettled deliveries come back, the settled ones do not', async () => {
    const { connection, channel, acknowledgements, deliveries } = await consumeAll(broker.names.INBOUND_QUEUE);
    // Settled out of order, with gaps: 0-2 (a run from the oldest), 5, 7 and 9 (alone).
    for (const index of [2, 0, 9, 1, 5, 7]) expect(acknowledgements.ack(deliveries[index])).toBe(true);
    acknowledgements.flush();
    await channel.close(); // as the transport closes: the channel's close follows its acks
    await connection.close();

    const redelivered = await broker.drain(broker.names.INBOUND_QUEUE);
    expect(numbers(redelivered)).toEqual([3, 4, 6, 8]);
  });

  it('sends the acks of one turn of the event loop together, by itself', async () => {
    const { connection, channel, acknowledgements, deliveries } = await consumeAll(broker.names.INBOUND_QUEUE);
    for (const delivery of deliveries) acknowledgements.ack(delivery);
    await new Promise((resolve) => setImmediate(resolve)); // the turn in which the acks go out
    await channel.close();
    await connection.close();

    expect(await broker.drain(broker.names.INBOUND_QUEUE)).toEqual([]);
  });

  it('reports a closed channel instead of acking on it', async () => {
    const { connection, acknowledgements, deliveries } = await consumeAll(broker.names.INBOUND_QUEUE);
    await connection.close();

    expect(acknowledgements.open).toBe(false);
    expect(acknowledgements.ack(deliveries[0])).toBe(false);
    expect(numbers(await broker.drain(broker.names.INBOUND_QUEUE))).toHaveLength(MESSAGES);
  });
});
