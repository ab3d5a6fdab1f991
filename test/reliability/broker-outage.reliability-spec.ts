import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeBrokerConnections } from '../support/rabbitmqctl.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { eventually } from '../support/test-broker.js';
import { FaultScenario, PATIENCE_MS } from './support/fault-scenario.js';
import { expectInvariants } from './support/invariants.js';
import { ReadinessWatch } from './support/readiness-watch.js';

/*
 * Each fault strikes while the service is in the middle of consuming: its intake is frozen at a gate
 * with deliveries in hand, the fault lands, the gate opens. Their commits then go through, their
 * acks cannot (the channel is gone), and the broker delivers them again.
 */
describe('scenario 5: the broker drops the service during consumption', () => {
  let scenario: FaultScenario;
  let readiness: ReadinessWatch | undefined;

  beforeEach(async () => {
    scenario = await FaultScenario.open();
  });

  afterEach(async () => {
    await readiness?.stop();
    await scenario?.close();
  });

  const readinessWent = (status: number, what: string) =>
    eventually(() => (readiness?.answers.includes(status) ? true : undefined), PATIENCE_MS, what);

  it('its connections closed by the broker: it re-attaches by itself; readiness 503, then 200', async (context) => {
    const service = await scenario.startService();
    readiness = new ReadinessWatch(service.baseUrl);
    // Ready first (its publisher connects just after its consumer): the fault must find it up.
    await readinessWent(200, 'readiness before the fault');
    const { orders, gate } = await scenario.freezeIntakeMidBurst(service);

    // Both: the consumer's and the publisher's (rabbitmqctl close_connection, this service's only).
    expect(await closeBrokerConnections(service.name)).toBe(2);
    await readinessWent(503, 'readiness to turn 503');
    await gate.open();
    await eventually(() => (readiness?.wentDownAndRecovered ? true : undefined), PATIENCE_MS, 'ready again');

    await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
    expect(service.logs).toContain('re-attaching');
  });

  it('the broker stopped and started (every connection cut, none accepted meanwhile): it comes back by itself', async (context) => {
    const broker = await TcpProxy.start(5672);
    try {
      const service = await scenario.startService({ brokerProxy: broker });
      readiness = new ReadinessWatch(service.baseUrl);
      await readinessWent(200, 'readiness before the fault');
      const { orders, gate } = await scenario.freezeIntakeMidBurst(service);

      await broker.cut();
      await readinessWent(503, 'readiness to turn 503');
      await service.waitForLog(`Cannot consume ${scenario.names.INBOUND_QUEUE}`, PATIENCE_MS);
      await gate.open();
      await broker.open();
      await eventually(() => (readiness?.wentDownAndRecovered ? true : undefined), PATIENCE_MS, 'ready again');

      await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
    } finally {
      await broker.cut();
    }
  });
});
