import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anOrderMessage, uniqueExternalId } from '../fixtures/order.mother.js';
import { asMessage, BURST, FaultScenario } from './support/fault-scenario.js';
import { expectInvariants } from './support/invariants.js';

const POISONED = 3;
const MAX_ATTEMPTS = 5;

describe('scenario 9: poison messages in a burst', () => {
  let scenario: FaultScenario;

  beforeAll(async () => {
    scenario = await FaultScenario.open();
    await scenario.database.poisonOrders('POISON-');
  });

  afterAll(async () => {
    await scenario?.close();
  });

  it('dead-letters each after the bounded attempts, processing-failed, while the others keep flowing', async (context) => {
    const service = await scenario.startService({ environment: { PROCESSING_MAX_ATTEMPTS: String(MAX_ATTEMPTS) } });
    const orders = Array.from({ length: BURST }, () => anOrderMessage());
    const poison = Array.from({ length: POISONED }, () => anOrderMessage({ externalId: uniqueExternalId('POISON') }));
    // At the start, the middle and the end of the burst: each one shares batches with valid orders.
    const burst = [...orders];
    poison.forEach((order, index) => burst.splice(Math.floor((index * burst.length) / POISONED) + index, 0, order));

    await scenario.broker.publishAll(burst.map(asMessage));

    await expectInvariants(context, scenario, {
      accepted: orders.map((order) => order.externalId),
      deadLettered: poison.map((order) => ({ messageId: order.externalId, reason: 'processing-failed' })),
    });
    expect(service.logs.match(/Processing failed \(attempt/g)).toHaveLength(POISONED * (MAX_ATTEMPTS - 1));
  });
});
