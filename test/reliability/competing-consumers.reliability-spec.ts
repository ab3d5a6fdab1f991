import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultScenario, metricOf, outcomesOf } from './support/fault-scenario.js';
import { expectInvariants } from './support/invariants.js';

const PROCESSES = 3;

describe('scenario 8: three service processes consuming and relaying at once', () => {
  let scenario: FaultScenario;

  beforeAll(async () => {
    scenario = await FaultScenario.open();
  });

  afterAll(async () => {
    await scenario?.close();
  });

  it('shares the burst between them; no outbox row is claimed, so published, by two relays', async (context) => {
    const services = await Promise.all(Array.from({ length: PROCESSES }, () => scenario.startService()));
    const orders = await scenario.publishOrders();

    await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
    const published = await Promise.all(services.map((service) => metricOf(service, 'order_events_published_total')));
    const accepted = services.map((service) => outcomesOf(service).accepted);
    await context.annotate(
      `accepted per process: ${accepted.join(', ')}; published per process: ${published.join(', ')}`,
      'load',
    );
    expect(accepted.every((count) => count > 0)).toBe(true);
    expect(published.filter((count) => count > 0).length).toBeGreaterThan(1);
    // Without a crash, a row claimed by two relays is the only way to publish an event twice.
    expect(published.reduce((sum, count) => sum + count, 0)).toBe(orders.length);
    expect(scenario.productB.repeats).toHaveLength(0);
  });
});
