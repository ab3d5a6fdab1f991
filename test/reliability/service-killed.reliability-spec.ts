import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TcpProxy } from '../support/tcp-proxy.js';
import { eventually } from '../support/test-broker.js';
import { BURST, FaultScenario, outcomesOf, PATIENCE_MS, PREFETCH } from './support/fault-scenario.js';
import { expectInvariants } from './support/invariants.js';

describe('scenario 4: the service SIGKILLed mid-burst, then restarted', () => {
  let scenario: FaultScenario;

  beforeEach(async () => {
    scenario = await FaultScenario.open();
  });

  afterEach(async () => {
    await scenario?.close();
  });

  it('at whatever point the kill lands: the restarted process finishes the burst, each order once', async (context) => {
    const killed = await scenario.startService();
    const orders = await scenario.publishOrders();
    await scenario.untilCommitted((count) => count >= BURST / 4, 'a quarter of the burst');

    await killed.stop('SIGKILL');
    const committedBeforeRestart = await scenario.committedOrders();
    expect(committedBeforeRestart).toBeLessThan(BURST);
    await scenario.startService();

    await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
  });

  it('before commit: the transactions it was in commit nothing, and their orders come back as new', async (context) => {
    const killed = await scenario.startService();
    const { orders, gate, committed } = await scenario.freezeIntakeMidBurst(killed);

    await killed.stop('SIGKILL');
    await gate.open();
    await scenario.untilDisconnected(killed);
    expect(await scenario.committedOrders()).toBe(committed);
    const restarted = await scenario.startService();

    await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
    expect(outcomesOf(restarted).accepted).toBe(BURST - committed);
  });

  it('after commit, before ack: every committed delivery comes back and is acknowledged as a duplicate', async (context) => {
    const proxy = await TcpProxy.start(5672);
    try {
      const killed = await scenario.startService({ brokerProxy: proxy });
      // The broker hears not one ack from the service, while its commits go through.
      const orders = await scenario.publishUnheard(proxy);
      expect(await scenario.committedOrders()).toBe(PREFETCH);
      expect(await scenario.broker.messageCount(scenario.names.INBOUND_QUEUE)).toBe(BURST - PREFETCH);

      await killed.stop('SIGKILL');
      await proxy.cut();
      await eventually(
        async () => ((await scenario.broker.messageCount(scenario.names.INBOUND_QUEUE)) === BURST ? true : undefined),
        PATIENCE_MS,
        'the unacknowledged deliveries back in the queue',
      );
      const restarted = await scenario.startService();

      await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
      expect(outcomesOf(restarted)).toEqual({ accepted: BURST - PREFETCH, duplicate: PREFETCH });
    } finally {
      await proxy.cut();
    }
  });
});
