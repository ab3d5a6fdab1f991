import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anOrderMessage, type OrderMessage } from '../fixtures/order.mother.js';
import { serviceEnvironment } from '../support/order-service.env.js';
import { ServiceProcess } from '../support/service-process.js';
import { eventually, TestBroker } from '../support/test-broker.js';
import { TestDatabase } from '../support/test-database.js';

const PAIRS = 150;

/**
 * "The first order stands": with small batches, an order and its conflicting copy a few deliveries
 * later land in different transactions that run at the same time. The copy must still lose.
 */
describe('an order and a conflicting copy right behind it, in a burst of small concurrent batches', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let service: ServiceProcess;
  const originals: OrderMessage[] = [];

  beforeAll(async () => {
    database = await TestDatabase.create();
    broker = await TestBroker.connect();
    const environment = serviceEnvironment(database.url, broker.names, { INBOUND_BATCH_SIZE: '4' });
    // Declares the topology, then leaves the backlog to arrive in one burst at the next start.
    service = await ServiceProcess.start(environment);
    await service.stop();
    for (let pair = 0; pair < PAIRS; pair++) {
      const original = anOrderMessage({ customerId: 'original' });
      originals.push(original);
      await broker.publish(original);
      await broker.publish(anOrderMessage());
      await broker.publish({ ...original, customerId: 'conflicting copy' });
    }
    service = await ServiceProcess.start(environment);
  });

  afterAll(async () => {
    await service?.stop();
    await broker?.deleteAll();
    await broker?.close();
    await database?.drop();
  });

  it('keeps every original and dead-letters every copy as duplicate-conflict', async () => {
    const rejected = await eventually(
      async () => {
        const count = await broker.messageCount(broker.names.DEAD_LETTER_QUEUE);
        return count >= PAIRS ? count : undefined;
      },
      60_000,
      `${PAIRS} dead letters`,
    );
    expect(rejected).toBe(PAIRS);

    const stored = await database.query<{ customer_id: string; orders: number }>(
      `SELECT customer_id, count(*)::int AS orders FROM orders WHERE external_id = ANY($1) GROUP BY customer_id`,
      [originals.map((order) => order.externalId)],
    );
    expect(stored).toEqual([{ customer_id: 'original', orders: PAIRS }]);
    const copies = await broker.drain(broker.names.DEAD_LETTER_QUEUE);
    expect(new Set(copies.map((copy): unknown => copy.properties.headers?.['x-rejection-reason']))).toEqual(
      new Set(['duplicate-conflict']),
    );
  });
});
