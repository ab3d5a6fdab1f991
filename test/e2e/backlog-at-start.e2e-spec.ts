import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareTopology, topologyOf } from '../../apps/order-service/src/outbound/amqp/amqp-topology.js';
import { anOrderMessage } from '../fixtures/order.mother.js';
import { serviceEnvironment } from '../support/order-service.env.js';
import { ServiceProcess } from '../support/service-process.js';
import { eventually, RABBITMQ_URL, TestBroker } from '../support/test-broker.js';
import { TestDatabase } from '../support/test-database.js';

/** A pod that starts (or restarts) in front of a full queue: every order must go through first time. */
describe('a backlog waiting in the queue when the service starts', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    database = await TestDatabase.create();
    broker = await TestBroker.connect();
    await declareTopology(RABBITMQ_URL, topologyOf(broker.names));
  });

  afterAll(async () => {
    await service?.stop();
    await broker?.deleteAll();
    await broker?.close();
    await database?.drop();
  });

  it('is processed in full once handlers are ready: no delivery fails, none is dead-lettered', async () => {
    const orders = Array.from({ length: 300 }, () => anOrderMessage());
    for (const order of orders) await broker.publish(order);

    service = await ServiceProcess.start(serviceEnvironment(database.url, broker.names));
    await eventually(
      async () => ((await broker.messageCount(broker.names.EVENTS_QUEUE)) === orders.length ? true : undefined),
      30_000,
      'every OrderCalculated',
    );

    const [{ count }] = await database.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM orders WHERE status = 'CALCULATED'",
    );
    expect(count).toBe(orders.length);
    expect(await broker.messageCount(broker.names.DEAD_LETTER_QUEUE)).toBe(0);
    expect(service.logs).not.toContain('Processing failed');
  });
});
