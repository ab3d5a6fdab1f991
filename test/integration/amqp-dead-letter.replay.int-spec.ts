import amqp, { type ChannelModel, type ConsumeMessage } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rejection } from '../../apps/order-service/src/messaging/rejection.js';
import { AmqpDeadLetterPublisher } from '../../apps/order-service/src/outbound/amqp/amqp-dead-letter.publisher.js';
import {
  AmqpDeadLetterReplay,
  type DeadLetter,
  type ReplayOutcome,
  type ReplayRequest,
} from '../../apps/order-service/src/cli/amqp-dead-letter.replay.js';
import { AmqpPublisher } from '../../apps/order-service/src/outbound/amqp/amqp-publisher.js';
import { declareTopology, topologyOf } from '../../apps/order-service/src/outbound/amqp/amqp-topology.js';
import { anOrderMessage } from '../fixtures/order.mother.js';
import { RABBITMQ_URL, TestBroker } from '../support/test-broker.js';

const everything: ReplayRequest = { reasons: [], limit: Number.POSITIVE_INFINITY, dryRun: false };

describe('AmqpDeadLetterReplay against a real RabbitMQ', () => {
  let broker: TestBroker;
  let replay: AmqpDeadLetterReplay;
  let connection: ChannelModel;
  const poison = anOrderMessage();
  const conflicting = anOrderMessage();
  const laterPoison = anOrderMessage();

  const run = async (request: Partial<ReplayRequest>) => {
    const reported: [ReplayOutcome, DeadLetter][] = [];
    const summary = await replay.run({ ...everything, ...request }, (letter, outcome) =>
      reported.push([outcome, letter]),
    );
    return { summary, reported };
  };
  const listed = async () => (await run({ dryRun: true })).reported.map(([, letter]) => letter.messageId);

  /** Dead-letters messages the way the service does: taken from the inbound queue, published by the real publisher. */
  async function deadLetter(letters: [Buffer, string, Rejection][]): Promise<void> {
    for (const [body, messageId] of letters) {
      await broker.publish(body, { messageId, correlationId: `corr-${messageId}`, headers: { 'x-trace': messageId } });
    }
    const publisher = new AmqpPublisher(RABBITMQ_URL, 'dead-letter-replay-test');
    const deadLetters = new AmqpDeadLetterPublisher(publisher, broker.names.DEAD_LETTER_EXCHANGE);
    try {
      const taken = await broker.drain(broker.names.INBOUND_QUEUE);
      for (const [index, message] of taken.entries())
        await deadLetters.publish(message as ConsumeMessage, letters[index][2]);
    } finally {
      await publisher.onApplicationShutdown();
    }
  }

  beforeAll(async () => {
    broker = await TestBroker.connect();
    await declareTopology(RABBITMQ_URL, topologyOf(broker.names));
    connection = await amqp.connect(RABBITMQ_URL);
    replay = new AmqpDeadLetterReplay({
      url: RABBITMQ_URL,
      connectionName: 'dead-letter-replay-test',
      deadLetterQueue: broker.names.DEAD_LETTER_QUEUE,
      inboundExchange: broker.names.INBOUND_EXCHANGE,
      inboundRoutingKey: broker.names.INBOUND_ROUTING_KEY,
    });
    await deadLetter([
      [
        Buffer.from(JSON.stringify(poison)),
        'poison',
        { reason: 'processing-failed', detail: 'Processing failed 5 times' },
      ],
      [
        Buffer.from('{"externalId": oops'),
        'not-json',
        { reason: 'invalid-json', detail: 'The message body is not JSON' },
      ],
      [Buffer.from(JSON.stringify(conflicting)), 'conflict', { reason: 'duplicate-conflict', detail: 'externalId …' }],
      [
        Buffer.from(JSON.stringify(laterPoison)),
        'later-poison',
        { reason: 'processing-failed', detail: 'Failed again' },
      ],
    ]);
  });

  afterAll(async () => {
    await connection?.close();
    await broker?.deleteAll();
    await broker?.close();
  });

  it('lists every dead letter with its reason, detail and externalId on a dry run, and leaves them all in place', async () => {
    const { summary, reported } = await run({ dryRun: true });

    expect(summary).toEqual({ inQueue: 4, matched: 4, replayed: 0, stoppedUnroutable: false });
    expect(reported).toEqual([
      [
        'listed',
        {
          messageId: 'poison',
          reason: 'processing-failed',
          detail: 'Processing failed 5 times',
          externalId: poison.externalId,
        },
      ],
      [
        'listed',
        { messageId: 'not-json', reason: 'invalid-json', detail: 'The message body is not JSON', externalId: null },
      ],
      [
        'listed',
        {
          messageId: 'conflict',
          reason: 'duplicate-conflict',
          detail: 'externalId …',
          externalId: conflicting.externalId,
        },
      ],
      [
        'listed',
        {
          messageId: 'later-poison',
          reason: 'processing-failed',
          detail: 'Failed again',
          externalId: laterPoison.externalId,
        },
      ],
    ]);
    // The dry run's channel has closed; a quorum queue takes its unacked deliveries back a moment later.
    await expect.poll(() => broker.messageCount(broker.names.DEAD_LETTER_QUEUE)).toBe(4);
    expect(await listed()).toEqual(['poison', 'not-json', 'conflict', 'later-poison']);
    expect(await broker.messageCount(broker.names.INBOUND_QUEUE)).toBe(0);
  });

  it('replays only the reason asked for, up to the limit, with the original body and properties and without the rejection headers', async () => {
    const { summary, reported } = await run({ reasons: ['processing-failed'], limit: 1 });

    expect(summary).toEqual({ inQueue: 4, matched: 1, replayed: 1, stoppedUnroutable: false });
    expect(reported.map(([outcome, letter]) => [outcome, letter.messageId])).toEqual([['replayed', 'poison']]);
    const [replayed] = await broker.drain(broker.names.INBOUND_QUEUE);
    expect(replayed.content.toString()).toBe(JSON.stringify(poison));
    expect(replayed.properties).toMatchObject({
      messageId: 'poison',
      correlationId: 'corr-poison',
      contentType: 'application/json',
      deliveryMode: 2,
      headers: { 'x-trace': 'poison', 'x-replay-count': 1 },
    });
    expect(Object.keys(replayed.properties.headers ?? {}).filter((header) => header.startsWith('x-rejection'))).toEqual(
      [],
    );
    expect(await listed()).toEqual(['not-json', 'conflict', 'later-poison']);
  });

  it('stops at a message the inbound exchange routes nowhere, and keeps it a dead letter', async () => {
    const channel = await connection.createChannel();
    const { INBOUND_QUEUE, INBOUND_EXCHANGE, INBOUND_ROUTING_KEY } = broker.names;
    await channel.unbindQueue(INBOUND_QUEUE, INBOUND_EXCHANGE, INBOUND_ROUTING_KEY);
    try {
      const { summary, reported } = await run({ reasons: ['processing-failed'] });

      expect(summary).toEqual({ inQueue: 3, matched: 1, replayed: 0, stoppedUnroutable: true });
      expect(reported.map(([outcome, letter]) => [outcome, letter.messageId])).toEqual([
        ['unroutable', 'later-poison'],
      ]);
    } finally {
      await channel.bindQueue(INBOUND_QUEUE, INBOUND_EXCHANGE, INBOUND_ROUTING_KEY);
      await channel.close();
    }
    expect(await listed()).toEqual(['not-json', 'conflict', 'later-poison']);
  });

  it('replays every dead letter when no reason is given, each looked at once', async () => {
    const { summary } = await run({});

    expect(summary).toEqual({ inQueue: 3, matched: 3, replayed: 3, stoppedUnroutable: false });
    expect(await broker.messageCount(broker.names.DEAD_LETTER_QUEUE)).toBe(0);
    const replayed = await broker.drain(broker.names.INBOUND_QUEUE);
    expect(replayed.map((message) => String(message.properties.messageId))).toEqual([
      'not-json',
      'conflict',
      'later-poison',
    ]);
  });
});
