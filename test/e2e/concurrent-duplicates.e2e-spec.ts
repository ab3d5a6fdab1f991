import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anOrderMessage } from '../fixtures/order.mother.js';
import { serviceEnvironment } from '../support/order-service.env.js';
import { ServiceProcess } from '../support/service-process.js';
import { eventually, TestBroker } from '../support/test-broker.js';
import { TestDatabase } from '../support/test-database.js';

const PUBLISHERS = 4;
const ORDERS = 40;

const count = (logs: string, text: string) => logs.split(text).length - 1;

describe('the same order from several connections at once, two service processes consuming', () => {
  let database: TestDatabase;
  let publishers: TestBroker[];
  let services: ServiceProcess[];

  beforeAll(async () => {
    database = await TestDatabase.create();
    const first = await TestBroker.connect();
    publishers = [
      first,
      ...(await Promise.all(Array.from({ length: PUBLISHERS - 1 }, () => TestBroker.connect(first.names)))),
    ];
    // A small prefetch spreads the copies of one order over both processes.
    const environment = serviceEnvironment(database.url, first.names, { INBOUND_PREFETCH: '4' });
    services = await Promise.all([ServiceProcess.start(environment), ServiceProcess.start(environment)]);
  });

  afterAll(async () => {
    await Promise.all((services ?? []).map((service) => service.stop()));
    await publishers?.[0]?.deleteAll();
    await Promise.all((publishers ?? []).map((publisher) => publisher.close()));
    await database?.drop();
  });

  it('yields one order and one OrderCalculated per externalId; the losers are acked as duplicates', async () => {
    const messages = Array.from({ length: ORDERS }, () => anOrderMessage());
    for (const message of messages) {
      await Promise.all(publishers.map((publisher) => publisher.publish(message)));
    }
    const [broker] = publishers;
    const names = broker.names;

    const processed = await eventually(
      () => {
        const logs = services.map((service) => service.logs).join('\n');
        const handled = count(logs, '"outcome":"accepted"') + count(logs, '"outcome":"duplicate"');
        return handled >= ORDERS * PUBLISHERS ? logs : undefined;
      },
      60_000,
      'every copy to be settled',
    );

    expect(count(processed, '"outcome":"accepted"')).toBe(ORDERS);
    expect(count(processed, '"outcome":"duplicate"')).toBe(ORDERS * (PUBLISHERS - 1));
    for (const service of services) expect(count(service.logs, '"outcome":')).toBeGreaterThan(0);

    const perOrder = await database.query<{ external_id: string; orders: number; events: number }>(
      `SELECT o.external_id, count(DISTINCT o.id)::int AS orders, count(x.id)::int AS events
       FROM orders o LEFT JOIN outbox x ON x.aggregate_id = o.id GROUP BY o.external_id`,
    );
    expect(perOrder).toHaveLength(ORDERS);
    expect(perOrder.every((row) => row.orders === 1 && row.events === 1)).toBe(true);
    expect(new Set(perOrder.map((row) => row.external_id))).toEqual(new Set(messages.map((m) => m.externalId)));
    expect(await broker.messageCount(names.INBOUND_QUEUE)).toBe(0);
    expect(await broker.messageCount(names.DEAD_LETTER_QUEUE)).toBe(0);
  });
});
