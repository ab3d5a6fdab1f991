import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anItem, anOrderMessage, PRODUCT_A_ORIGIN } from '../../../../test/fixtures/order.mother.js';
import type { ChangeOrigin } from './change-origin.js';
import { Currency } from './currency.value-object.js';
import { OrderStatusChanged } from './events/order-status-changed.event.js';
import { Money } from './money.value-object.js';
import { Order } from './order.aggregate.js';
import { InvalidTransitionError, PaymentMismatchError } from './order.errors.js';
import { OrderChange } from './order-lifecycle.js';
import { ORDER_STATUSES, OrderStatus } from './order-status.js';
import { PlacedOrder } from './placed-order.value-object.js';

const BACK_OFFICE: ChangeOrigin = { source: 'http', actor: '0123456789ab', correlationId: null };
const AT = new Date('2026-11-21T10:05:00.000Z');
const BRL = Currency.of('BRL');
/** The order of every test: one line of 19.90 × 2. */
const TOTAL = Money.parse('39.80', BRL);
const PAYMENT = { paymentId: 'PAY-1', amount: TOTAL };

/**
 * The contract's table (docs/contract.md, section 4), written out here on its own rather than read
 * from the code, so that the code is checked against it: the target status, "same" or "refused".
 */
// prettier-ignore
const CONTRACT: Record<string, Record<OrderChange, string>> = {
  CALCULATED:     { 'confirm-payment': 'PAID',    'reject-payment': 'PAYMENT_FAILED', ship: 'refused', deliver: 'refused',   cancel: 'CANCELLED' },
  PAYMENT_FAILED: { 'confirm-payment': 'PAID',    'reject-payment': 'same',           ship: 'refused', deliver: 'refused',   cancel: 'CANCELLED' },
  PAID:           { 'confirm-payment': 'refused', 'reject-payment': 'same',           ship: 'SHIPPED', deliver: 'refused',   cancel: 'CANCELLED' },
  SHIPPED:        { 'confirm-payment': 'refused', 'reject-payment': 'same',           ship: 'same',    deliver: 'DELIVERED', cancel: 'refused' },
  DELIVERED:      { 'confirm-payment': 'refused', 'reject-payment': 'same',           ship: 'refused', deliver: 'same',      cancel: 'refused' },
  CANCELLED:      { 'confirm-payment': 'refused', 'reject-payment': 'same',           ship: 'refused', deliver: 'refused',   cancel: 'same' },
};

const EVENT_OF: Record<string, string> = {
  PAID: 'OrderPaid',
  PAYMENT_FAILED: 'OrderPaymentFailed',
  SHIPPED: 'OrderShipped',
  DELIVERED: 'OrderDelivered',
  CANCELLED: 'OrderCancelled',
};

function calculatedOrder(): Order {
  const placed = PlacedOrder.parse(anOrderMessage({ items: [anItem({ unitPrice: '19.90', quantity: 2 })] }));
  const order = Order.receive({
    id: 'order-1',
    placed,
    correlationId: null,
    receivedAt: new Date(AT.getTime() - 1000),
  });
  order.calculate(PRODUCT_A_ORIGIN, new Date(AT.getTime() - 900));
  order.pullEvents();
  return order;
}

/** The change as each caller makes it; a confirmed payment comes from PAY-2, not the payment that paid. */
function apply(order: Order, change: OrderChange, at = AT): void {
  switch (change) {
    case OrderChange.ConfirmPayment:
      return order.confirmPayment({ paymentId: 'PAY-2', amount: TOTAL }, PRODUCT_A_ORIGIN, at);
    case OrderChange.RejectPayment:
      return order.rejectPayment({ paymentId: 'PAY-3', reason: 'card declined' }, PRODUCT_A_ORIGIN, at);
    case OrderChange.Ship:
      return order.ship({ carrier: 'Correios', trackingCode: 'BR123' }, BACK_OFFICE, at);
    case OrderChange.Deliver:
      return order.deliver(BACK_OFFICE, at);
    case OrderChange.Cancel:
      return order.cancel('customer asked', BACK_OFFICE, at);
  }
}

/** How to reach each status from CALCULATED through legal changes; stored and restored, as a handler finds it. */
const PATH: Record<string, OrderChange[]> = {
  CALCULATED: [],
  PAYMENT_FAILED: [OrderChange.RejectPayment],
  PAID: [],
  SHIPPED: [OrderChange.Ship],
  DELIVERED: [OrderChange.Ship, OrderChange.Deliver],
  CANCELLED: [OrderChange.Cancel],
};

function orderIn(status: string): Order {
  const order = calculatedOrder();
  if (status !== 'CALCULATED' && status !== 'PAYMENT_FAILED' && status !== 'CANCELLED') {
    order.confirmPayment(PAYMENT, PRODUCT_A_ORIGIN, AT);
  }
  for (const change of PATH[status]) apply(order, change);
  expect(order.status).toBe(status);
  return Order.restore(order.toSnapshot());
}

describe('the order lifecycle', () => {
  describe.each(Object.keys(CONTRACT))('an order %s', (status) => {
    it.each(Object.entries(CONTRACT[status]))('%s: %s', (change, expected) => {
      const order = orderIn(status);
      const version = order.version;

      if (expected === 'refused') {
        const refusal = () => apply(order, change as OrderChange);
        expect(refusal).toThrow(InvalidTransitionError);
        expect(refusal).toThrow(`it is ${status}`);
        expect(order.status).toBe(status);
      } else {
        apply(order, change as OrderChange);
        const events = order.pullEvents();
        if (expected === 'same') {
          expect(events).toEqual([]);
          expect(order.version).toBe(version);
          expect(order.status).toBe(status);
        } else {
          expect(order.status).toBe(expected);
          expect(order.version).toBe(version + 1);
          expect(events).toHaveLength(1);
          expect(events[0]).toMatchObject({
            eventType: EVENT_OF[expected],
            status: expected,
            previousStatus: status,
            version: version + 1,
            orderId: 'order-1',
            occurredAt: AT,
          });
        }
      }
    });
  });

  it('refuses every change while the order is still RECEIVED', () => {
    const placed = PlacedOrder.parse(anOrderMessage());
    const order = Order.receive({ id: 'order-1', placed, correlationId: null, receivedAt: AT });
    for (const change of Object.values(OrderChange)) {
      expect(() => apply(order, change)).toThrow(InvalidTransitionError);
    }
  });

  describe('payments', () => {
    it('takes the same payment again as no change, with no event', () => {
      const order = orderIn('PAID');
      order.confirmPayment(PAYMENT, PRODUCT_A_ORIGIN, AT);
      expect(order.pullEvents()).toEqual([]);
      expect(order.status).toBe(OrderStatus.Paid);
    });

    it('records the payment in OrderPaid and the time in paidAt', () => {
      const order = calculatedOrder();
      order.confirmPayment(PAYMENT, PRODUCT_A_ORIGIN, AT);
      const [event] = order.pullEvents();
      expect((event as OrderStatusChanged).details).toEqual({ paymentId: 'PAY-1', amount: '39.80', currency: 'BRL' });
      expect(order.statusTimes.paidAt).toEqual(AT);
      expect(order.toSnapshot().paymentId).toBe('PAY-1');
    });

    it.each([
      ['a cent less', Money.parse('39.79', BRL), 'Payment PAY-1 is for 39.79 BRL but order order-1 totals 39.80 BRL.'],
      [
        'another currency',
        Money.parse('39.80', Currency.of('USD')),
        'is for 39.80 USD but order order-1 totals 39.80 BRL',
      ],
    ])('refuses an amount that is not the total (%s), naming both', (_, amount, message) => {
      const order = calculatedOrder();
      expect(() => order.confirmPayment({ paymentId: 'PAY-1', amount }, PRODUCT_A_ORIGIN, AT)).toThrow(
        PaymentMismatchError,
      );
      expect(() => order.confirmPayment({ paymentId: 'PAY-1', amount }, PRODUCT_A_ORIGIN, AT)).toThrow(message);
      expect(order.status).toBe(OrderStatus.Calculated);
    });
  });

  it('says in OrderCancelled whether the order had been paid', () => {
    const paid = orderIn('PAID');
    paid.cancel('out of stock', BACK_OFFICE, AT);
    const unpaid = orderIn('CALCULATED');
    unpaid.cancel(null, BACK_OFFICE, AT);
    expect((paid.pullEvents()[0] as OrderStatusChanged).details).toEqual({ reason: 'out of stock', wasPaid: true });
    expect((unpaid.pullEvents()[0] as OrderStatusChanged).details).toEqual({ reason: null, wasPaid: false });
  });

  it('keeps the shipment details, null when not given', () => {
    const order = orderIn('PAID');
    order.ship({ carrier: null, trackingCode: null }, BACK_OFFICE, AT);
    const [event] = order.pullEvents() as OrderStatusChanged[];
    expect(event.details).toEqual({ carrier: null, trackingCode: null });
    expect(event.origin).toEqual(BACK_OFFICE);
  });

  it('survives a store and restore with every status time and its version', () => {
    const order = orderIn('DELIVERED');
    const restored = Order.restore(order.toSnapshot());
    expect(restored.toSnapshot()).toEqual(order.toSnapshot());
    expect(restored.storedVersion).toBe(order.version);
    expect(restored.updatedAt).toEqual(AT);
  });

  it('never reaches an illegal state, and each change adds exactly one to the version', () => {
    const changes = fc.array(fc.constantFrom(...Object.values(OrderChange)), { maxLength: 30 });
    fc.assert(
      fc.property(changes, fc.boolean(), (sequence, payFirst) => {
        const order = calculatedOrder();
        let paidBy = payFirst ? PAYMENT.paymentId : null;
        if (payFirst) order.confirmPayment(PAYMENT, PRODUCT_A_ORIGIN, AT);
        order.pullEvents();
        for (const change of sequence) {
          const before = { status: order.status, version: order.version };
          // `apply` confirms as PAY-2: once PAY-2 has paid, the same payment again is no change.
          const samePayment = change === OrderChange.ConfirmPayment && paidBy === 'PAY-2';
          const expected = samePayment && before.status === 'PAID' ? 'same' : CONTRACT[before.status][change];
          let refused = false;
          try {
            apply(order, change);
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidTransitionError);
            refused = true;
          }
          const events = order.pullEvents();
          expect(ORDER_STATUSES).toContain(order.status);
          expect(refused).toBe(expected === 'refused');
          if (refused || expected === 'same') {
            expect(events).toHaveLength(0);
            expect(order).toMatchObject(before);
          } else {
            expect(events).toHaveLength(1);
            expect(order.status).toBe(expected);
            expect(order.version).toBe(before.version + 1);
            if (expected === 'PAID') paidBy = 'PAY-2';
            expect((events[0] as OrderStatusChanged).version).toBe(order.version);
          }
        }
      }),
    );
  });
});
