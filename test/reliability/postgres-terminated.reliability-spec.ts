import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BURST, FaultScenario } from './support/fault-scenario.js';
import { expectInvariants } from './support/invariants.js';

const BETWEEN_KILLS_MS = 100;

describe('scenario 3: Postgres connections killed during a burst', () => {
  let scenario: FaultScenario;

  beforeAll(async () => {
    scenario = await FaultScenario.open();
  });

  afterAll(async () => {
    await scenario?.close();
  });

  it('retries what the killed connections were doing: nothing lost, nothing twice, nothing dead-lettered', async (context) => {
    const service = await scenario.startService();
    const orders = await scenario.publishOrders();
    await scenario.untilCommitted((count) => count > 0, 'the burst to start');

    // pg_terminate_backend on the service's connections (only these: other tests share the server),
    // again and again until the whole burst is in.
    let kills = 0;
    let terminated = 0;
    while ((await scenario.committedOrders()) < BURST) {
      const killed = await scenario.database.terminateBackends(service.name);
      if (killed > 0) kills += 1;
      terminated += killed;
      await sleep(BETWEEN_KILLS_MS);
    }
    await context.annotate(`${terminated} backends terminated in ${kills} rounds`, 'fault');

    expect(kills).toBeGreaterThanOrEqual(3);
    await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
    expect(service.logs).not.toContain('Processing failed');
  });
});
