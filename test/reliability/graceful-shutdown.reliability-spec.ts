import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BURST, FaultScenario, outcomesOf } from './support/fault-scenario.js';
import { expectInvariants } from './support/invariants.js';

/** The pod's terminationGracePeriodSeconds the README asks for: Kubernetes SIGKILLs after it. */
const GRACE_PERIOD_MS = 30_000;

describe('scenario 10: SIGTERM under load', () => {
  let scenario: FaultScenario;

  beforeAll(async () => {
    scenario = await FaultScenario.open();
  });

  afterAll(async () => {
    await scenario?.close();
  });

  it('stops taking deliveries, commits and acks those in hand, publishes their events, and exits in time', async (context) => {
    const stopped = await scenario.startService();
    const orders = await scenario.publishOrders();
    await scenario.untilCommitted((count) => count >= BURST / 4, 'a quarter of the burst');

    const signalled = Date.now();
    await stopped.stop('SIGTERM');
    const exitMs = Date.now() - signalled;
    await context.annotate(`exited ${exitMs} ms after SIGTERM`, 'shutdown');
    expect(exitMs).toBeLessThan(GRACE_PERIOD_MS);
    expect(stopped.logs).toContain('Deliveries settled and outbox relayed');

    // Every delivery is either committed (and was acked) or back in the queue, never both.
    const committed = await scenario.committedOrders();
    // Ready messages, as the queue's leader counts them once the closed connection's are back.
    const left = await scenario.broker.settledMessageCount(scenario.names.INBOUND_QUEUE);
    expect(committed + left).toBe(BURST);
    expect(left).toBeGreaterThan(0);
    expect(await scenario.pendingEvents()).toBe(0);

    const restarted = await scenario.startService();
    await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
    expect(outcomesOf(restarted)).toEqual({ accepted: BURST - committed, duplicate: 0 });
  });
});
