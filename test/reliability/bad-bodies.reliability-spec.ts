import { afterAll, beforeAll, describe, it } from 'vitest';
import { anOrderMessage, uniqueExternalId } from '../fixtures/order.mother.js';
import type { OutgoingMessage } from '../support/test-broker.js';
import { asMessage, BURST, FaultScenario } from './support/fault-scenario.js';
import { type ExpectedDeadLetter, expectInvariants } from './support/invariants.js';

/** Bodies that are not an order at all, with the reason each must be dead-lettered with. */
const NOT_AN_ORDER: readonly (readonly [Buffer, string])[] = [
  [Buffer.from('not json at all'), 'invalid-json'],
  [Buffer.from('{"externalId": "A-1", oops'), 'invalid-json'],
  [Buffer.from(''), 'invalid-json'],
  [Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'invalid-json'],
  [Buffer.from('[1, 2, 3]'), 'invalid-order'],
  [Buffer.from('"order"'), 'invalid-order'],
  [Buffer.from('42'), 'invalid-order'],
  [Buffer.from('null'), 'invalid-order'],
  [Buffer.from('true'), 'invalid-order'],
  [Buffer.from('{}'), 'invalid-order'],
];
const EACH_BAD_BODY = 10;

describe('scenario 2: non-JSON and non-object bodies among valid orders', () => {
  let scenario: FaultScenario;

  beforeAll(async () => {
    scenario = await FaultScenario.open();
  });

  afterAll(async () => {
    await scenario?.close();
  });

  it('dead-letters each bad body with its reason and calculates every valid order', async (context) => {
    await scenario.startService();
    const orders = Array.from({ length: BURST }, () => anOrderMessage());
    const bad = Array.from({ length: EACH_BAD_BODY }, () => NOT_AN_ORDER)
      .flat()
      .map(([body, reason]) => ({ body, reason, messageId: uniqueExternalId('bad') }));
    // Bad bodies spread evenly through the burst, so they share batches with valid orders.
    const spacing = Math.floor(orders.length / bad.length);
    const messages: OutgoingMessage[] = orders.flatMap((order, index) => {
      const intruder = index % spacing === 0 ? bad[index / spacing] : undefined;
      const own = asMessage(order);
      return intruder ? [{ body: intruder.body, options: { messageId: intruder.messageId } }, own] : [own];
    });

    await scenario.broker.publishAll(messages);

    const deadLettered: ExpectedDeadLetter[] = bad.map(({ messageId, reason }) => ({ messageId, reason }));
    await expectInvariants(context, scenario, { accepted: orders.map((order) => order.externalId), deadLettered });
  });
});
