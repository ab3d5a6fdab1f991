import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anItem, anOrderMessage, type OrderMessage } from '../fixtures/order.mother.js';
import { OrderApi } from '../support/order-api.js';
import { serviceEnvironment } from '../support/order-service.env.js';
import { ServiceProcess } from '../support/service-process.js';
import { tearDown } from '../support/tear-down.js';
import { eventually, TestBroker } from '../support/test-broker.js';
import { TestDatabase } from '../support/test-database.js';

const MIB = 1024 * 1024;
const BURST = 30;
/** 8 MiB in hand: the payments take half (64 × 64 KiB), the orders what is left, 2 × 2 MiB. */
const BUDGET = { INBOUND_MAX_BYTES_IN_HAND: String(8 * MIB), INBOUND_MAX_MESSAGE_BYTES: String(2 * MIB) };
const ORDERS_IN_HAND = 2;

/** The largest order the contract allows, every string at its longest in 4-byte characters. */
function maximalLegalOrder(): OrderMessage {
  return anOrderMessage({
    customerId: 'C'.repeat(64),
    items: Array.from({ length: 1000 }, (_, index) =>
      anItem({
        productId: `P-${index}-`.padEnd(64, 'x'),
        name: '\u{1F600}'.repeat(200),
        unitPrice: '1000000000.00',
        quantity: 1_000_000,
      }),
    ),
  });
}

describe('the consumer’s memory, bounded in bytes under a burst of the largest legal orders', () => {
  let database: TestDatabase;
  let broker: TestBroker;
  let service: ServiceProcess;

  beforeAll(async () => {
    database = await TestDatabase.create();
    broker = await TestBroker.connect();
    service = await ServiceProcess.start(serviceEnvironment(database.url, broker.names, BUDGET));
  });

  afterAll(() => tearDown({ services: [service], broker, database }));

  it('lowers the prefetch to what fits the budget, holds no more, and calculates every order exactly', async () => {
    expect(service.logs).toContain(`INBOUND_PREFETCH 120 lowered to ${ORDERS_IN_HAND}`);
    const orders = Array.from({ length: BURST }, maximalLegalOrder);
    const bodies = orders.map((order) => Buffer.from(JSON.stringify(order)));
    // About 0.9 MB each: the burst is three times the whole budget.
    expect(bodies.reduce((sum, body) => sum + body.length, 0)).toBeGreaterThan(3 * 8 * MIB);

    const api = new OrderApi(service.baseUrl);
    let mostInHand = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const { body } = await api.anonymous<string>('/metrics');
        const inHand = Number(/^inbound_deliveries_in_hand (\S+)$/m.exec(body)?.[1]);
        mostInHand = Math.max(mostInHand, inHand);
      }
    })();
    await broker.publishAll(bodies.map((body) => ({ body })));

    const totals = await eventually(async () => {
      const rows = await database.query<{ total: string }>(`SELECT total FROM orders WHERE status = 'CALCULATED'`);
      return rows.length === BURST ? rows.map(({ total }) => total) : undefined;
    }, 120_000);
    sampling = false;
    await sampler;
    expect(new Set(totals)).toEqual(new Set(['1000000000000000000.00']));
    expect(mostInHand).toBeGreaterThan(0);
    expect(mostInHand).toBeLessThanOrEqual(ORDERS_IN_HAND);
  });
});
