import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/test-broker.js';
import { BURST, FaultScenario, metricOf, PATIENCE_MS } from './support/fault-scenario.js';
import { expectInvariants } from './support/invariants.js';

describe('scenario 11: OrderCalculated published to an exchange with no queue bound', () => {
  let scenario: FaultScenario;

  beforeAll(async () => {
    scenario = await FaultScenario.open();
  });

  afterAll(async () => {
    await scenario?.close();
  });

  it('is detected (mandatory), not marked published, and goes out once a queue is bound', async (context) => {
    const service = await scenario.startService();
    await scenario.broker.unbindEventsQueue();
    const orders = await scenario.publishOrders();
    await scenario.untilCommitted((count) => count === BURST, 'the whole burst');

    const [failed] = await eventually(
      async () => {
        const rows = await scenario.database.query<{ attempts: number; last_error: string }>(
          'SELECT attempts, last_error FROM outbox WHERE attempts > 0 LIMIT 1',
        );
        return rows.length > 0 ? rows : undefined;
      },
      PATIENCE_MS,
      'a failed publish recorded in the outbox',
    );
    expect(failed.last_error).toMatch(/^Unroutable: no queue is bound/);
    expect(await metricOf(service, 'order_events_publish_failures_total{reason="unroutable"}')).toBeGreaterThan(0);
    expect(await scenario.pendingEvents()).toBe(BURST);
    expect(scenario.productB.deliveries).toBe(0);

    await scenario.broker.bindEventsQueue();
    await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
  });
});
