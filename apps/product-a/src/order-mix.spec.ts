import { DomainError, PlacedOrder } from '@app/ordering';
import { describe, expect, it } from 'vitest';
import { DecimalTotals } from '@app/simulators';
import { decodeJsonMessage, InvalidJsonError } from '../../order-service/src/messaging/json-message.decoder.js';
import { type MixSettings, type OutgoingMessage, OrderMix } from './order-mix.js';

const settings: MixSettings = {
  seed: 42,
  idPrefix: 'A-spec',
  epoch: new Date('2026-11-21T00:00:00Z'),
  duplicates: 0.1,
  conflicts: 0.05,
  invalid: 0.08,
};

const take = (mix: OrderMix, count: number): OutgoingMessage[] => Array.from({ length: count }, () => mix.next());

/** What the service makes of a message, judged by its own decoder and domain parser. */
function classify(message: OutgoingMessage, known: Map<string, string>): string {
  let body: unknown;
  try {
    body = decodeJsonMessage(message.body, message.body.length);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidJsonError);
    return 'invalid-json';
  }
  let order: PlacedOrder;
  try {
    order = PlacedOrder.parse(body);
  } catch (error) {
    expect((error as DomainError).code).toBe('invalid-order');
    return 'invalid-order';
  }
  const fingerprint = known.get(order.externalId);
  if (fingerprint === undefined) {
    known.set(order.externalId, order.fingerprint);
    return 'new';
  }
  return fingerprint === order.fingerprint ? 'duplicate' : 'conflict';
}

describe('OrderMix (product A traffic)', () => {
  it('sends the same messages for the same seed, and others for another seed', () => {
    const bodies = (seed: number) => take(new OrderMix({ ...settings, seed }), 300).map((m) => m.body.toString('hex'));
    expect(bodies(7)).toEqual(bodies(7));
    expect(bodies(8)).not.toEqual(bodies(7));
  });

  it('makes every message what it says it is, as the service itself decides', () => {
    const known = new Map<string, string>();
    const messages = take(new OrderMix(settings), 3000);
    for (const message of messages) expect(classify(message, known)).toBe(message.kind);
    expect(new Set(messages.map((message) => message.kind))).toEqual(
      new Set(['new', 'duplicate', 'conflict', 'invalid-json', 'invalid-order']),
    );
  });

  it('reuses an externalId with other content only long after the original, so it cannot overtake it', () => {
    const firstSeen = new Map<string, number>();
    const distances = take(new OrderMix(settings), 3000).flatMap((message, index) => {
      if (message.kind === 'invalid-json' || message.kind === 'invalid-order') return [];
      const { externalId } = JSON.parse(message.body.toString()) as { externalId: string };
      if (!firstSeen.has(externalId)) firstSeen.set(externalId, index);
      return message.kind === 'conflict' ? [index - firstSeen.get(externalId)!] : [];
    });
    expect(distances.length).toBeGreaterThan(50);
    expect(Math.min(...distances)).toBeGreaterThanOrEqual(1000);
  });

  it('keeps the shares it was given', () => {
    const messages = take(new OrderMix(settings), 20_000);
    const share = (kinds: string[]) => messages.filter((message) => kinds.includes(message.kind)).length / 20_000;
    expect(share(['duplicate'])).toBeCloseTo(settings.duplicates, 1);
    expect(share(['conflict'])).toBeCloseTo(settings.conflicts, 1);
    expect(share(['invalid-json', 'invalid-order'])).toBeCloseTo(settings.invalid, 1);
  });

  it('totals the new orders exactly as the service calculates them', () => {
    const mix = new OrderMix(settings);
    const calculated = new DecimalTotals();
    for (const message of take(mix, 2000).filter((m) => m.kind === 'new')) {
      const order = PlacedOrder.parse(decodeJsonMessage(message.body, message.body.length));
      for (const line of order.lines) {
        const { currency } = order;
        calculated.addMinorUnits(currency.code, line.unitPrice.minorUnits * BigInt(line.quantity), currency.decimals);
      }
    }
    expect(mix.totals.toJSON()).toEqual(calculated.toJSON());
    expect(Object.keys(calculated.toJSON())).toEqual(['BRL', 'EUR', 'JPY', 'KWD', 'USD']);
  });

  it('refuses shares that add up to more than every message', () => {
    expect(() => new OrderMix({ ...settings, duplicates: 0.5, conflicts: 0.3, invalid: 0.3 })).toThrow(/more than 1/);
  });
});
