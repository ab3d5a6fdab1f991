import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TcpProxy } from '../support/tcp-proxy.js';
import { eventually } from '../support/test-broker.js';
import { FaultScenario, PATIENCE_MS } from './support/fault-scenario.js';
import { expectLifecycleInvariants, type KnownOrder, LifecycleWorld } from './support/lifecycle.js';

/** Orders per scenario: each gets a payment, and a part of them REST changes. */
const ORDERS = 400;
const SHIP = { status: 'SHIPPED', carrier: 'Correios' };
const CANCEL = { status: 'CANCELLED', reason: 'reliability' };

const finalStatuses = (orders: readonly KnownOrder[], status: (index: number) => readonly string[]) =>
  new Map(orders.map(({ orderId }, index) => [orderId, status(index)]));

describe('scenario 14: the order lifecycle under faults', () => {
  let scenario: FaultScenario;
  let world: LifecycleWorld;

  beforeEach(async () => {
    scenario = await FaultScenario.open();
    world = await LifecycleWorld.open(scenario);
  });

  afterEach(async () => {
    await world?.close();
    await scenario?.close();
  });

  it('SIGKILL during a burst of payments and REST changes: every change once, the history equal to the events', async (context) => {
    let service = await scenario.startService();
    const orders = await world.calculatedOrders(ORDERS);
    const payments = world.confirmations(orders);
    await scenario.broker.publishAllPayments('confirmed', payments);
    // The back office ships the first half as soon as each is paid, against whichever process is up.
    const shipping = Promise.all(
      orders.slice(0, ORDERS / 2).map(async ({ orderId }) => {
        while ((await world.change(() => [service.baseUrl], orderId, SHIP)) === 409) await sleep(50);
      }),
    );
    await untilAtLeast(scenario, `SELECT count(*)::int AS n FROM orders WHERE paid_at IS NOT NULL`, ORDERS / 4);

    await service.stop('SIGKILL');
    service = await scenario.startService();
    await shipping;

    await expectLifecycleInvariants(
      context,
      world,
      finalStatuses(orders, (index) => (index < ORDERS / 2 ? ['SHIPPED'] : ['PAID'])),
    );
  });

  it('two service processes taking the same payments twice: each order paid once, one OrderPaid', async (context) => {
    await scenario.startService();
    await scenario.startService();
    const orders = await world.calculatedOrders(ORDERS);
    const payments = world.confirmations(orders);

    await Promise.all([
      scenario.broker.publishAllPayments('confirmed', payments),
      scenario.broker.publishAllPayments('confirmed', [...payments].reverse()),
    ]);

    await expectLifecycleInvariants(
      context,
      world,
      finalStatuses(orders, () => ['PAID']),
    );
  });

  it('the broker cut and the database connections killed while payments and changes are in flight', async (context) => {
    const proxy = await TcpProxy.start(5672);
    try {
      const service = await scenario.startService({ brokerProxy: proxy });
      const orders = await world.calculatedOrders(ORDERS);
      await scenario.broker.publishAllPayments('confirmed', world.confirmations(orders));
      // Shipping is refused (409) until the payment is in: the back office tries again.
      const shipping = Promise.all(
        orders.slice(0, ORDERS / 4).map(async ({ orderId }) => {
          while ((await world.change(() => [service.baseUrl], orderId, SHIP)) === 409) await sleep(50);
        }),
      );
      for (let round = 0; round < 4; round++) {
        await sleep(300);
        await scenario.database.terminateBackends(service.name);
        await proxy.cut();
        await sleep(300);
        await proxy.open();
      }
      await shipping;

      await expectLifecycleInvariants(
        context,
        world,
        finalStatuses(orders, (index) => (index < ORDERS / 4 ? ['SHIPPED'] : ['PAID'])),
      );
      expect(service.logs).not.toContain('Processing failed');
    } finally {
      await proxy.cut();
    }
  });

  it('a shipment and a cancellation of every order at once, under load: exactly one wins, one event', async (context) => {
    const services = [await scenario.startService(), await scenario.startService()];
    const orders = await world.calculatedOrders(ORDERS);
    await scenario.broker.publishAllPayments('confirmed', world.confirmations(orders));
    await untilAtLeast(scenario, `SELECT count(*)::int AS n FROM orders WHERE status = 'PAID'`, ORDERS);

    const answers = await Promise.all(
      orders.map(({ orderId }, index) =>
        Promise.all([
          world.change(() => [services[index % 2].baseUrl], orderId, SHIP),
          world.change(() => [services[(index + 1) % 2].baseUrl], orderId, CANCEL),
        ]),
      ),
    );

    expect(answers.filter((pair) => [...pair].sort().join() !== '200,409')).toEqual([]);
    await expectLifecycleInvariants(
      context,
      world,
      finalStatuses(orders, () => ['SHIPPED', 'CANCELLED']),
    );
  });
});

/** Waits until the count `sql` gives (one row, column n) reaches `atLeast`. */
async function untilAtLeast(scenario: FaultScenario, sql: string, atLeast: number): Promise<void> {
  await eventually(
    async () => {
      const [{ n }] = await scenario.database.query<{ n: number }>(sql);
      return n >= atLeast ? true : undefined;
    },
    PATIENCE_MS,
    sql,
  );
}
