import amqp, { type ConsumeMessage } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareTopology, topologyOf } from '../../apps/order-service/src/outbound/amqp/amqp-topology.js';
import { AmqpPublisher, type MandatoryMessage } from '../../apps/order-service/src/outbound/amqp/amqp-publisher.js';
import { AmqpDeadLetterPublisher } from '../../apps/order-service/src/outbound/amqp/amqp-dead-letter.publisher.js';
import { coalesceFrameWrites } from '../../apps/order-service/src/outbound/amqp/coalesced-frame-writes.js';
import { closeBrokerConnections, withMemoryAlarm } from '../support/rabbitmqctl.js';
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

  it('writes nothing while the broker blocks the connection (memory alarm), and publishes the round once unblocked', async () => {
    const round = messagesTo(broker.names.EVENTS_EXCHANGE, 20);
    let settled = false;
    const held = await withMemoryAlarm(async () => {
      // The broker tells a publishing connection it is blocked once it next publishes.
      const probe = publisher.publishAllMandatory(messagesTo(broker.names.EVENTS_EXCHANGE, 1));
      await eventually(() => (publisher.isBlocked() ? true : undefined), 10_000, 'the broker to block the publisher');
      const published = publisher.publishAllMandatory(round).finally(() => (settled = true));
      await sleep(1_000);
      expect(settled).toBe(false);
      // Wrapped: returning the promises themselves would wait for them with the alarm still raised.
      return { rounds: Promise.all([probe, published]) };
    });
    const [, outcomes] = await held.rounds;

    expect(outcomes.every((outcome) => outcome.status === 'fulfilled' && outcome.value === 'routed')).toBe(true);
    expect(publisher.isBlocked()).toBe(false);
    const ids = await eventually(
      async () => {
        const seen = await idsIn(broker.names.EVENTS_QUEUE);
        return seen.length >= round.length + 1 ? seen : undefined;
      },
      10_000,
      'the held messages',
    );
    expect(ids.slice(-round.length)).toEqual(round.map((message) => message.options.messageId));
  }, 120_000); // rabbitmqctl takes seconds to start, three times
});

describe('AmqpDeadLetterPublisher against a real RabbitMQ', () => {
  let broker: TestBroker;
  let publisher: AmqpPublisher;
  let deadLetters: AmqpDeadLetterPublisher;

  beforeAll(async () => {
    broker = await TestBroker.connect();
    await declareTopology(RABBITMQ_URL, topologyOf(broker.names));
    publisher = new AmqpPublisher(RABBITMQ_URL, `dead-letter-test-${randomUUID()}`);
    deadLetters = new AmqpDeadLetterPublisher(publisher, broker.names.DEAD_LETTER_EXCHANGE);
  });

  afterAll(async () => {
    await publisher?.onApplicationShutdown();
    await broker?.deleteAll();
    await broker?.close();
  });

  it('fails when no queue takes the dead letter, so that the original is not acked, and delivers it once one does', async () => {
    await broker.publish({ externalId: 'A-unroutable-dead-letter' }, { messageId: 'dead-letter-1' });
    const [original] = (await broker.drain(broker.names.INBOUND_QUEUE)) as ConsumeMessage[];
    const rejection = { reason: 'invalid-order', detail: 'items is required' } as const;
    await broker.unbindDeadLetterQueue();

    await expect(deadLetters.publish(original, rejection)).rejects.toThrow(/Dead letter unroutable/);

    await broker.bindDeadLetterQueue();
    await deadLetters.publish(original, rejection);
    const [dead] = await broker.drain(broker.names.DEAD_LETTER_QUEUE);
    expect(dead.content.equals(original.content)).toBe(true);
    expect(dead.properties.headers?.['x-rejection-reason']).toBe('invalid-order');
  });
});

/** A socket's internal writes, as a Writable stream calls them. */
interface CountedSocket {
  _write(...args: unknown[]): void;
  _writev(...args: unknown[]): void;
}

describe('coalesceFrameWrites against a real RabbitMQ', () => {
  it('sends a round of publishes with a handful of socket writes, not one each, and every message arrives', async () => {
    const broker = await TestBroker.connect();
    const connection = await amqp.connect(RABBITMQ_URL);
    try {
      await declareTopology(RABBITMQ_URL, topologyOf(broker.names));
      const channel = await connection.createConfirmChannel();
      coalesceFrameWrites(connection);
      // The socket's own writes, counted: one per call of either, however many frames each carries.
      const socket = (connection as unknown as { connection: { stream: CountedSocket } }).connection.stream;
      let writes = 0;
      for (const method of ['_write', '_writev'] as const) {
        const original = socket[method].bind(socket);
        socket[method] = (...args) => {
          writes += 1;
          original(...args);
        };
      }
      const ids = Array.from({ length: 200 }, () => randomUUID());

      for (const messageId of ids) {
        channel.publish(broker.names.EVENTS_EXCHANGE, broker.names.EVENTS_ROUTING_KEY, Buffer.from('{}'), {
          messageId,
        });
      }
      await channel.waitForConfirms();

      expect(writes).toBeLessThan(10);
      expect(
        await eventually(
          async () => {
            const seen = (await broker.drain(broker.names.EVENTS_QUEUE)).map((message) =>
              String(message.properties.messageId),
            );
            return seen.length > 0 ? seen : undefined;
          },
          10_000,
          'the messages',
        ),
      ).toEqual(ids);
    } finally {
      await connection.close();
      await broker.deleteAll();
      await broker.close();
    }
  });
});
