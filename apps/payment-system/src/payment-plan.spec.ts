import { type DomainError, parsePaymentNotice } from '@app/ordering';
import type { OrderCalculatedMessage } from '@app/simulators';
import { describe, expect, it } from 'vitest';
import {
  decodeJsonMessage,
  InvalidJsonError,
  PAYMENT_MESSAGE,
} from '../../order-service/src/messaging/json-message.decoder.js';
import { type PaymentMessage, PaymentPlan, type PlanSettings } from './payment-plan.js';

const settings: PlanSettings = {
  seed: 42,
  rejected: 0.2,
  retried: 0.5,
  duplicates: 0.05,
  paidTwice: 0.05,
  wrongAmounts: 0.05,
  unknownOrders: 0.05,
  invalid: 0.1,
};

const CURRENCIES = [
  ['BRL', '45.30'],
  ['JPY', '1500'],
  ['KWD', '12.345'],
] as const;

function anOrder(index: number): OrderCalculatedMessage {
  const [currency, total] = CURRENCIES[index % CURRENCIES.length];
  return {
    eventId: `e-${index}`,
    eventType: 'OrderCalculated',
    occurredAt: '2026-11-21T10:00:00Z',
    orderId: `5f0e2c1a-0000-4000-8000-${String(index).padStart(12, '0')}`,
    externalId: `A-spec-${index}`,
    customerId: null,
    status: 'CALCULATED',
    currency,
    total,
    itemCount: 1,
    items: [],
  };
}

/** A plan whose ids are a counter, so that two plans' messages can be compared byte for byte. */
const countingPlan = (overrides: Partial<PlanSettings> = {}) => {
  let ids = 0;
  return new PaymentPlan(
    { ...settings, ...overrides },
    () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`,
  );
};

const AT = new Date('2026-11-21T10:05:00Z');

/** What the service makes of a payment for this order, judged by its own decoder and parser. */
function classify(message: PaymentMessage, order: OrderCalculatedMessage): string {
  let body: unknown;
  try {
    body = decodeJsonMessage(message.body, message.body.length, PAYMENT_MESSAGE);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidJsonError);
    return 'invalid-json';
  }
  try {
    const payment = parsePaymentNotice(body, message.outcome);
    if (payment.orderId !== order.orderId) return 'unknown-order';
    if (payment.outcome === 'confirmed' && payment.amount.toString() !== order.total) return 'payment-mismatch';
    return 'valid';
  } catch (error) {
    return (error as DomainError).code;
  }
}

describe('PaymentPlan (the payment system)', () => {
  it('makes the same choices and payments for the same seed and externalIds, whatever their order', () => {
    const orders = Array.from({ length: 300 }, (_, index) => anOrder(index));
    const kinds = (seed: number, list: OrderCalculatedMessage[]) => {
      const plan = new PaymentPlan({ ...settings, seed });
      return new Map(list.map((order) => [order.externalId, plan.paymentsFor(order, AT).kind]));
    };
    expect(kinds(7, [...orders].reverse())).toEqual(kinds(7, orders));
    expect(kinds(8, orders)).not.toEqual(kinds(7, orders));
    const bodies = () => {
      const plan = countingPlan();
      return orders.flatMap((order) => plan.paymentsFor(order, AT).now.map((message) => message.body.toString()));
    };
    expect(bodies()).toEqual(bodies());
  });

  it('makes every payment what it says it is, as the service itself decides', () => {
    const plan = countingPlan();
    const kinds = new Set<string>();
    for (let index = 0; index < 2000; index++) {
      const order = anOrder(index);
      const payments = plan.paymentsFor(order, AT);
      kinds.add(payments.kind);
      for (const message of [...payments.now, ...payments.afterFailure]) {
        const expected = ['changed', 'duplicate', 'invalid-transition'].includes(message.expected)
          ? 'valid'
          : message.expected;
        expect(classify(message, order), `${payments.kind} ${message.body.toString()}`).toBe(expected);
      }
    }
    expect(kinds.size).toBe(8);
  });

  it('sends each kind its own messages: a duplicate byte for byte, a second payment under another id', () => {
    const plan = countingPlan({
      rejected: 0,
      duplicates: 0.5,
      paidTwice: 0.5,
      wrongAmounts: 0,
      unknownOrders: 0,
      invalid: 0,
    });
    const planned = Array.from({ length: 200 }, (_, index) => plan.paymentsFor(anOrder(index), AT));
    for (const { kind, now, afterFailure } of planned) {
      expect(afterFailure).toEqual([]);
      expect(now.map((message) => message.expected)).toEqual(
        kind === 'confirmed-twice' ? ['changed', 'duplicate'] : ['changed', 'invalid-transition'],
      );
      const [first, second] = now;
      expect(first.body.equals(second.body)).toBe(kind === 'confirmed-twice');
      expect(first.messageId === second.messageId).toBe(kind === 'confirmed-twice');
    }
  });

  it('pays a refused order again only once its OrderPaymentFailed arrives', () => {
    const plan = countingPlan({
      rejected: 1,
      duplicates: 0,
      paidTwice: 0,
      wrongAmounts: 0,
      unknownOrders: 0,
      invalid: 0,
    });
    const planned = Array.from({ length: 400 }, (_, index) => plan.paymentsFor(anOrder(index), AT));
    for (const { kind, now, afterFailure } of planned) {
      expect(now.map((message) => message.outcome)).toEqual(['rejected']);
      expect(afterFailure.map((message) => message.outcome)).toEqual(kind === 'rejected' ? [] : ['confirmed']);
    }
    const retried = planned.filter(({ kind }) => kind === 'rejected-then-confirmed').length / planned.length;
    expect(retried).toBeCloseTo(0.5, 1);
  });

  it('keeps the shares it was given', () => {
    const plan = countingPlan();
    const planned = Array.from({ length: 20_000 }, (_, index) => plan.paymentsFor(anOrder(index), AT).kind);
    const share = (kind: string) => planned.filter((found) => found === kind).length / planned.length;
    expect(share('rejected') + share('rejected-then-confirmed')).toBeCloseTo(settings.rejected, 1);
    expect(share('paid-twice')).toBeCloseTo(settings.paidTwice, 1);
    expect(share('invalid')).toBeCloseTo(settings.invalid, 1);
    expect(share('confirmed')).toBeCloseTo(0.5, 1);
  });

  it('refuses shares that add up to more than every order', () => {
    expect(() => new PaymentPlan({ ...settings, rejected: 0.6, invalid: 0.5 })).toThrow(/more than 1/);
  });
});
