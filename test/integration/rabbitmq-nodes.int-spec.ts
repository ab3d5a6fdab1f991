import { randomUUID } from 'node:crypto';
import type { RmqContext } from '@nestjs/microservices';
import type { Channel, Message } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AmqpInboundServer,
  ORDER_PLACED_PATTERN,
} from '../../apps/order-service/src/inbound/amqp/amqp-inbound.server.js';
import { ChannelAcknowledgements } from '../../apps/order-service/src/inbound/amqp/channel-acknowledgements.js';
import { declareTopology, topologyOf } from '../../apps/order-service/src/outbound/amqp/amqp-topology.js';
import { AmqpPublisher } from '../../apps/order-service/src/outbound/amqp/amqp-publisher.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { eventually, RABBITMQ_URL, TestBroker } from '../support/test-broker.js';

/** A port nothing listens on: a node that is down. */
const DOWN_NODE = 'amqp://guest:guest@127.0.0.1:1';

/*
 * Two proxies in front of the one local broker play two nodes of a cluster: cutting one is its node
 * going away, and the clients must reach the broker through the other.
 */
describe('RABBITMQ_URL as a list of nodes, against a real RabbitMQ', () => {
  let broker: TestBroker;
  let nodeA: TcpProxy;
  let nodeB: TcpProxy;
  let nodes: string;

  beforeAll(async () => {
    broker = await TestBroker.connect();
    nodeA = await TcpProxy.start(5672);
    nodeB = await TcpProxy.start(5672);
    nodes = [DOWN_NODE, nodeA.route(RABBITMQ_URL), nodeB.route(RABBITMQ_URL)].join(',');
  });

  afterAll(async () => {
    await nodeA?.cut();
    await nodeB?.cut();
    await broker?.deleteAll();
    await broker?.close();
  });

  it('declares the topology on the first node that answers', async () => {
    await declareTopology(nodes, topologyOf(broker.names));
    expect(await broker.messageCount(broker.names.INBOUND_QUEUE)).toBe(0);
  });

  it('consumes through the first node that answers, and through another once that node goes away', async () => {
    const received: string[] = [];
    const server = new AmqpInboundServer({
      url: nodes,
      connectionName: `nodes-test-${randomUUID()}`,
      subscriptions: [{ queue: broker.names.INBOUND_QUEUE, pattern: ORDER_PLACED_PATTERN, prefetch: 10 }],
      reconnectBaseDelayMs: 20,
      reconnectMaxDelayMs: 200,
    });
    server.addHandler(
      ORDER_PLACED_PATTERN,
      (_data: unknown, context: RmqContext) => {
        const message = context.getMessage() as Message;
        received.push(message.content.toString());
        ChannelAcknowledgements.for(context.getChannelRef() as Channel).ack(message);
        return Promise.resolve();
      },
      true,
    );
    const statuses: string[] = [];
    server.status.subscribe((status) => statuses.push(status));
    await new Promise<void>((resolve) => server.listen(resolve));
    try {
      expect(server.consuming).toBe(true);
      await broker.publish({ before: true });
      await eventually(() => (received.length === 1 ? true : undefined), 10_000, 'the first delivery');

      // The node it consumes on (A: the first one that answers) goes away; only B is left.
      await nodeA.cut();
      await eventually(() => (statuses.includes('detached') ? true : undefined), 10_000, 'the consumer to notice');
      await eventually(() => (server.consuming ? true : undefined), 10_000, 'the consumer on another node');
      await broker.publish({ after: true });
      await eventually(() => (received.length === 2 ? true : undefined), 10_000, 'the delivery after the move');
      expect(received).toEqual(['{"before":true}', '{"after":true}']);
    } finally {
      await server.close();
      await nodeA.open();
    }
  });

  it('publishes with confirms through the first node that answers, and through another once it goes away', async () => {
    const publisher = new AmqpPublisher(nodes, `nodes-test-${randomUUID()}`);
    const publish = (id: string) =>
      publisher.publishAllMandatory([
        {
          exchange: broker.names.EVENTS_EXCHANGE,
          routingKey: broker.names.EVENTS_ROUTING_KEY,
          content: Buffer.from(id),
          options: { messageId: id },
        },
      ]);
    try {
      expect(await publish('first')).toEqual([{ status: 'fulfilled', value: 'routed' }]);
      // Its node (A) goes away: a publish in flight may fail, as the relay expects, and is retried.
      await nodeA.cut();
      let attempt = 0;
      const confirmedId = await eventually(
        async () => {
          const id = `after-${++attempt}`;
          const [outcome] = await publish(id);
          return outcome.status === 'fulfilled' && outcome.value === 'routed' ? id : undefined;
        },
        10_000,
        'a publish confirmed through another node',
      );
      expect(publisher.isConnected()).toBe(true);
      const ids = (await broker.drain(broker.names.EVENTS_QUEUE)).map((message) => message.content.toString());
      expect(ids[0]).toBe('first');
      expect(ids).toContain(confirmedId);
    } finally {
      await publisher.onApplicationShutdown();
      await nodeA.open();
    }
  });
});
