import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TcpProxy } from '../support/tcp-proxy.js';
import { eventually } from '../support/test-broker.js';
import { FaultScenario, PATIENCE_MS, PREFETCH } from './support/fault-scenario.js';
import { expectInvariants } from './support/invariants.js';

describe('scenario 6: the broker unavailable while the outbox relay publishes', () => {
  let scenario: FaultScenario;
  let broker: TcpProxy;

  beforeAll(async () => {
    scenario = await FaultScenario.open();
    broker = await TcpProxy.start(5672);
  });

  afterAll(async () => {
    await broker?.cut();
    await scenario?.close();
  });

  it('keeps the rows it could not publish pending, and publishes them once the broker is back', async (context) => {
    const service = await scenario.startService({ brokerProxy: broker });
    // Committed orders whose OrderCalculated the relay is publishing: on a stalled connection, unconfirmed.
    const orders = await scenario.publishUnheard(broker);
    expect(await scenario.pendingEvents()).toBe(PREFETCH);

    await broker.cut();
    const failed = await eventually(
      async () => {
        const [{ count }] = await scenario.database.query<{ count: number }>(
          'SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL AND attempts > 0',
        );
        return count > 0 ? count : undefined;
      },
      PATIENCE_MS,
      'the relay to record a failed attempt',
    );
    await context.annotate(`${failed} rows failed to publish while the broker was away`, 'fault');
    expect(await scenario.pendingEvents()).toBe(PREFETCH);
    expect(scenario.productB.handled.size).toBe(0);
    await service.waitForLog('Event messages not published; will retry', PATIENCE_MS);

    await broker.open();
    await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
  });
});
