import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withMemoryAlarm } from '../support/rabbitmqctl.js';
import { eventually } from '../support/test-broker.js';
import { BURST, FaultScenario, metricOf, PATIENCE_MS } from './support/fault-scenario.js';
import { expectInvariants } from './support/invariants.js';

const BLOCKED = 'order_events_publish_failures_total{reason="blocked"}';
const PUBLISHED = 'order_events_published_total';
/** Deliveries per transaction, and transactions in flight: what a relay may have begun publishing before it hears it is blocked. */
const BATCH_SIZE = 250;
const BATCHES_IN_FLIGHT = 2;

describe('scenario 16: the broker blocks publishers (memory alarm) while orders flow', () => {
  let scenario: FaultScenario;

  beforeAll(async () => {
    scenario = await FaultScenario.open();
  });

  afterAll(async () => {
    await scenario?.close();
  });

  it('leaves the events in the outbox while blocked, and publishes every one once unblocked', async (context) => {
    // Published before the alarm: the test's own publisher would be blocked too.
    const orders = await scenario.publishOrders();

    const { service, blocked, published } = await withMemoryAlarm(async () => {
      // Started under the alarm: the whole burst is taken in while the broker blocks the relay.
      const service = await scenario.startService({
        environment: { INBOUND_BATCH_SIZE: String(BATCH_SIZE), OUTBOX_SWEEP_AFTER_MS: '1000' },
      });
      await service.waitForLog('The broker blocks publishing (flow control); the relay pauses', PATIENCE_MS);
      await scenario.untilCommitted((count) => count === BURST, 'the burst committed');
      // Past the metrics' one-second cache, so the figures below are those of the whole burst.
      const blocked = await eventually(async () => {
        const count = await metricOf(service, BLOCKED);
        return count > 0 && (await scenario.pendingEvents()) === BURST ? count : undefined;
      });
      expect(scenario.productB.handled.size).toBe(0);
      return { service, blocked, published: await metricOf(service, PUBLISHED) };
    });
    await context.annotate(
      `while blocked: ${BURST} orders committed, ${published} events published, ` +
        `${blocked} left in the outbox unread, ${BURST - blocked} in rounds begun before the block`,
      'fault',
    );

    expect(published).toBe(0);
    // Held in memory at most: the rounds begun before the broker said it blocks the connection.
    expect(BURST - blocked).toBeLessThanOrEqual(BATCH_SIZE * BATCHES_IN_FLIGHT);
    await service.waitForLog('The broker lets the publisher publish again', PATIENCE_MS);
    await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
  });
});
