import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareTopology, topologyOf } from '../../apps/order-service/src/outbound/amqp/amqp-topology.js';
import { queueType } from '../support/rabbitmqctl.js';
import { type BrokerNames, RABBITMQ_URL, TestBroker } from '../support/test-broker.js';

/** Product A or B got to the broker first and declared things its own way, on fresh names. */
async function withPeerFirst(
  scenario: (names: BrokerNames, channel: amqp.Channel, peer: TestBroker) => Promise<void>,
): Promise<void> {
  const peer = await TestBroker.connect();
  const connection = await amqp.connect(RABBITMQ_URL);
  try {
    await scenario(peer.names, await connection.createChannel(), peer);
  } finally {
    await connection.close();
    await peer.deleteAll();
    await peer.close();
  }
}

describe('declareTopology against a real RabbitMQ', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await TestBroker.connect();
  });

  afterAll(async () => {
    await broker?.deleteAll();
    await broker?.close();
  });

  it('declares the contract topology, can run again, and routes order.placed to the inbound queue', async () => {
    const settings = topologyOf(broker.names);
    await declareTopology(RABBITMQ_URL, settings);
    await declareTopology(RABBITMQ_URL, settings);

    await broker.publish({ hello: 'world' });
    expect(await broker.messageCount(settings.inboundQueue)).toBe(1);
    await broker.drain(settings.inboundQueue);
  });

  it("declares the service's own queues as quorum queues, the inbound one with a delivery limit above the service's", () =>
    withPeerFirst(async (names, channel) => {
      const settings = topologyOf(names);
      await declareTopology(RABBITMQ_URL, settings);
      expect(await queueType(settings.inboundQueue)).toBe('quorum');
      expect(await queueType(settings.deadLetterQueue)).toBe('quorum');
      expect(settings.inboundDeliveryLimit).toBe(20);
      // The same declaration again succeeds only with the very same arguments.
      await channel.assertQueue(settings.inboundQueue, {
        durable: true,
        arguments: {
          'x-queue-type': 'quorum',
          'x-delivery-limit': 20,
          'x-dead-letter-exchange': settings.deadLetterExchange,
        },
      });
    }));

  it('keeps an existing classic inbound queue, with a warning, and a product that declared order.calculated plainly', () =>
    withPeerFirst(async (names, channel) => {
      await channel.assertExchange(names.INBOUND_EXCHANGE, 'topic', { durable: true });
      await channel.assertQueue(names.INBOUND_QUEUE, { durable: true });
      await channel.assertQueue(names.EVENTS_QUEUE, { durable: true });
      await expect(declareTopology(RABBITMQ_URL, topologyOf(names))).resolves.toBeUndefined();
      expect(await queueType(names.INBOUND_QUEUE)).toBe('classic');
    }));

  it('keeps a peer declaration with other settings instead of failing to start', () =>
    withPeerFirst(async (names, channel, peer) => {
      await channel.assertExchange(names.DEAD_LETTER_EXCHANGE, 'fanout', { durable: true });
      await channel.assertQueue(names.INBOUND_QUEUE, { durable: true, arguments: { 'x-max-priority': 5 } });
      await declareTopology(RABBITMQ_URL, topologyOf(names));

      await peer.publish({ routed: true });
      expect(await peer.messageCount(names.INBOUND_QUEUE)).toBe(1);
      await peer.drain(names.INBOUND_QUEUE);
    }));
});
