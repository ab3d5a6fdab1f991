import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderCalculatedMessage } from '../support/product-b-consumer.js';
import { BURST, FaultScenario, PATIENCE_MS } from './support/fault-scenario.js';
import { expectInvariants } from './support/invariants.js';

describe('scenario 7: the relay killed between the broker confirm and marking the rows published', () => {
  let scenario: FaultScenario;

  beforeAll(async () => {
    scenario = await FaultScenario.open();
  });

  afterAll(async () => {
    await scenario?.close();
  });

  it('publishes those rows again after the restart, byte for byte under the same message_id; product B keeps one', async (context) => {
    const killed = await scenario.startService();
    const gate = await scenario.installGate('BEFORE UPDATE OF published_at', 'outbox');
    const orders = await scenario.publishOrders();
    await scenario.untilCommitted((count) => count >= BURST / 4, 'a quarter of the burst');
    // The relay marks a round only after every confirm of it: the round waiting here is confirmed.
    await gate.close();
    await gate.untilHolding(killed.name, PATIENCE_MS);

    await killed.stop('SIGKILL');
    // A mark is one statement without a COMMIT to wait for: a backend blocked at the gate would finish
    // it once the gate opens, dead client or not. Ending the dead process's backends first (as the
    // server does once it notices the lost connection) makes sure its marks never land.
    await scenario.database.terminateBackends(killed.name);
    await gate.open();
    await scenario.untilDisconnected(killed);
    // Delivered to product B, yet pending in the outbox: the round the kill caught.
    const pending = await scenario.database.query<{ event_id: string }>(
      'SELECT event_id FROM outbox WHERE published_at IS NULL',
    );
    const confirmedUnmarked = pending
      .map((row) => row.event_id)
      .filter((eventId) => scenario.productB.handled.has(eventId));
    expect(confirmedUnmarked.length).toBeGreaterThan(0);
    await context.annotate(
      `${confirmedUnmarked.length} messages confirmed but not marked when the relay died`,
      'fault',
    );
    await scenario.startService();

    await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId) });
    const repeated = new Set(scenario.productB.repeats.map((delivery) => String(delivery.properties.messageId)));
    expect(confirmedUnmarked.filter((eventId) => !repeated.has(eventId))).toEqual([]);
    for (const repeat of scenario.productB.repeats) {
      const { eventId } = JSON.parse(repeat.content.toString()) as OrderCalculatedMessage;
      expect(repeat.properties.messageId).toBe(eventId);
      expect(repeat.content.equals(scenario.productB.handled.get(eventId)!.delivery.content)).toBe(true);
    }
  });
});
