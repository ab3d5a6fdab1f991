import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anOrderMessage } from '../fixtures/order.mother.js';
import { TestBroker } from '../support/test-broker.js';
import { asMessage, FaultScenario, outcomesOf } from './support/fault-scenario.js';
import { expectInvariants } from './support/invariants.js';

const TWICE = 1_000;
const TWENTY_TIMES = 50;
const COPIES = 20;
const PUBLISHERS = 4;

describe('scenario 1: the same order published twice, and 20 times concurrently', () => {
  let scenario: FaultScenario;
  let publishers: TestBroker[];

  beforeAll(async () => {
    scenario = await FaultScenario.open();
    publishers = await Promise.all(Array.from({ length: PUBLISHERS }, () => TestBroker.connect(scenario.names)));
  });

  afterAll(async () => {
    await Promise.all((publishers ?? []).map((publisher) => publisher.close()));
    await scenario?.close();
  });

  it('stores and publishes each order once; every other copy is acknowledged as a duplicate', async (context) => {
    // Two processes, so that the copies of one order race each other in separate transactions too.
    const services = await Promise.all([scenario.startService(), scenario.startService()]);
    const twice = Array.from({ length: TWICE }, () => anOrderMessage());
    const crowded = Array.from({ length: TWENTY_TIMES }, () => anOrderMessage());

    await scenario.broker.publishAll([...twice, ...twice].map(asMessage));
    // Each publisher sends its share of the 20 copies of every crowded order, all at the same time.
    await Promise.all(
      publishers.map((publisher) =>
        publisher.publishAll(
          Array.from({ length: COPIES / PUBLISHERS }, () => crowded)
            .flat()
            .map(asMessage),
        ),
      ),
    );

    const accepted = [...twice, ...crowded].map((order) => order.externalId);
    await expectInvariants(context, scenario, { accepted });
    const outcomes = services.map(outcomesOf);
    expect(outcomes.reduce((sum, { accepted }) => sum + accepted, 0)).toBe(accepted.length);
    expect(outcomes.reduce((sum, { duplicate }) => sum + duplicate, 0)).toBe(TWICE + TWENTY_TIMES * (COPIES - 1));
  });
});
