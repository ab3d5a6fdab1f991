import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anOrderMessage, uniqueExternalId } from '../fixtures/order.mother.js';
import { asMessage, FaultScenario, PREFETCH } from './support/fault-scenario.js';
import { expectInvariants } from './support/invariants.js';

/** The processes the crashing message may kill while handled alone (PROCESSING_MAX_DELIVERIES). */
const MAX_CRASHES = 3;
const ORDERS = 1_000;
/** Where the crashing message sits: the orders behind it in the prefetch window are in hand at every death. */
const CRASHER_AT = PREFETCH / 2;
const PRELOAD = new URL('./support/crash-on-marker.mjs', import.meta.url).href;

describe('scenario 15: a message that kills the process each time it is handled, in a burst', () => {
  let scenario: FaultScenario;

  beforeAll(async () => {
    scenario = await FaultScenario.open();
  });

  afterAll(async () => {
    await scenario?.close();
  });

  it('is dead-lettered after the deaths it caused alone, while every valid order beside it is calculated once', async (context) => {
    const crasher = anOrderMessage({ externalId: uniqueExternalId('CRASH') });
    const orders = Array.from({ length: ORDERS }, () => anOrderMessage());
    const service = scenario.superviseService({
      environment: {
        NODE_OPTIONS: `--import=${PRELOAD}`,
        CRASH_MARKER: crasher.externalId,
        PROCESSING_MAX_DELIVERIES: String(MAX_CRASHES),
      },
    });

    await scenario.broker.publishAll(
      [...orders.slice(0, CRASHER_AT), crasher, ...orders.slice(CRASHER_AT)].map(asMessage),
    );

    await expectInvariants(context, scenario, {
      accepted: orders.map((order) => order.externalId),
      deadLettered: [{ messageId: crasher.externalId, reason: 'processing-failed' }],
    });
    // Once as a first delivery, batched with others; then once under each of its marks.
    expect(service.deaths).toBe(1 + MAX_CRASHES);
    // The orders right behind it were in hand at every death, and were still calculated.
    const logs = service.processes.map((process) => process.logs).join('\n');
    expect(logs).toContain(`"previousDeliveries":${1 + MAX_CRASHES},"crashes":0`);
    expect(logs).toContain(`"previousDeliveries":${1 + MAX_CRASHES},"crashes":${MAX_CRASHES}`);
  });
});
