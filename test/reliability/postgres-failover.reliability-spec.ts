import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderMessage } from '../fixtures/order.mother.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { FaultScenario } from './support/fault-scenario.js';
import { expectInvariants } from './support/invariants.js';

const WAVE = 500;
/**
 * Each outage lasts longer than the attempt budget: five failed attempts with the tests' backoff
 * (20 ms … 500 ms) take under two seconds, and the tests set no minimum time (PROCESSING_MIN_FAILING_MS=0).
 * Only the classification of the errors as `unavailable` keeps the orders out of the DLQ.
 */
const OUTAGE_MS = 5_000;

describe('scenario 12: a Postgres failover during a burst', () => {
  let scenario: FaultScenario;
  let proxy: TcpProxy;

  beforeAll(async () => {
    scenario = await FaultScenario.open();
    proxy = await TcpProxy.start(5432);
  });

  afterAll(async () => {
    await scenario?.database.admin(`ALTER DATABASE "${scenario.database.name}" RESET default_transaction_read_only`);
    await scenario?.close();
    await proxy?.cut();
  });

  it('backends killed, then read-only, then refusing connections: nothing lost, nothing dead-lettered', async (context) => {
    const service = await scenario.startService({
      environment: { DATABASE_URL: proxy.route(scenario.database.url) },
    });
    const orders: OrderMessage[] = [];
    const readOnly = async (on: boolean) => {
      const setting = on ? 'SET default_transaction_read_only = on' : 'RESET default_transaction_read_only';
      await scenario.database.admin(`ALTER DATABASE "${scenario.database.name}" ${setting}`);
      // A session keeps the setting it started with: only new connections see the change.
      await scenario.database.terminateBackends(service.name);
    };
    const committedDuring = async (fault: string, wave: OrderMessage[]) => {
      const before = await scenario.committedOrders();
      await sleep(OUTAGE_MS);
      const after = await scenario.committedOrders();
      await context.annotate(`${fault}: ${after - before} of ${wave.length} committed in ${OUTAGE_MS} ms`, 'fault');
      return after - before;
    };

    // 1. The primary restarts: every backend of the service is terminated, again and again.
    orders.push(...(await scenario.publishOrders(WAVE)));
    await scenario.untilCommitted((count) => count > 0, 'the first wave to start');
    for (let round = 0; round < 3; round++) {
      await scenario.database.terminateBackends(service.name);
      await sleep(300);
    }

    // 2. The old primary, demoted: it answers, but every write fails with 25006.
    await scenario.untilCommitted((count) => count >= WAVE, 'the first wave');
    await readOnly(true);
    const secondWave = await scenario.publishOrders(WAVE);
    orders.push(...secondWave);
    expect(await committedDuring('read-only', secondWave)).toBe(0);
    await readOnly(false);

    // 3. The database unreachable: connections cut, new ones refused.
    await scenario.untilCommitted((count) => count >= 2 * WAVE, 'the second wave');
    await proxy.cut();
    const thirdWave = await scenario.publishOrders(WAVE);
    orders.push(...thirdWave);
    expect(await committedDuring('refusing connections', thirdWave)).toBe(0);
    await proxy.open();

    await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
    expect(service.logs).toContain('read-only transaction');
    expect(service.logs).not.toContain('Processing failed');
  });
});
