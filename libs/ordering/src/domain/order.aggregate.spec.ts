import { describe, expect, it } from 'vitest';
import {
  anItem,
  anOrderMessage,
  largestLegalOrderMessage,
  type OrderMessage,
  PRODUCT_A_ORIGIN,
} from '../../../../test/fixtures/order.mother.js';
import { OrderCalculated } from './events/order-calculated.event.js';
import { OrderReceived } from './events/order-received.event.js';
import { Order } from './order.aggregate.js';
import { InvalidTransitionError } from './order.errors.js';
import { OrderStatus } from './order-status.js';
import { PlacedOrder } from './placed-order.value-object.js';

const RECEIVED_AT = new Date('2026-11-21T10:00:00.100Z');
const CALCULATED_AT = new Date('2026-11-21T10:00:00.120Z');
const ORDER_ID = '5f0e4b8e-8f3a-4c1e-9a55-2b1f0c6d7e81';

const receive = (message: OrderMessage = anOrderMessage(), correlationId: string | null = 'corr-42'): Order =>
  Order.receive({ id: ORDER_ID, placed: PlacedOrder.parse(message), correlationId, receivedAt: RECEIVED_AT });

describe('Order', () => {
  describe('receive', () => {
    it('starts RECEIVED, uncalculated, at version 0, with the placed order content', () => {
      const message = anOrderMessage();
      const placed = PlacedOrder.parse(message);
      const order = Order.receive({ id: ORDER_ID, placed, correlationId: 'corr-42', receivedAt: RECEIVED_AT });

      expect(order.id).toBe(ORDER_ID);
      expect(order.externalId).toBe(message.externalId);
      expect(order.customerId).toBe('C-42');
      expect(order.currency.code).toBe('BRL');
      expect(order.placedAt).toEqual(new Date('2026-11-21T10:00:00Z'));
      expect(order.status).toBe(OrderStatus.Received);
      expect(order.total).toBeNull();
      expect(order.receivedAt).toBe(RECEIVED_AT);
      expect(order.calculatedAt).toBeNull();
      expect(order.version).toBe(0);
      expect(order.fingerprint).toBe(placed.fingerprint);
      expect(order.correlationId).toBe('corr-42');
      expect(order.itemCount).toBe(2);
    });

    it('numbers its lines from 1 in the order sent', () => {
      const order = receive(
        anOrderMessage({ items: [anItem({ productId: 'P-9' }), anItem({ productId: 'P-3', name: undefined })] }),
      );
      expect(order.lines.map((line) => [line.lineNo, line.productId, line.name])).toEqual([
        [1, 'P-9', 'Mouse'],
        [2, 'P-3', null],
      ]);
    });

    it('records one OrderReceived', () => {
      const order = receive();
      const events = order.pullEvents();

      expect(events).toHaveLength(1);
      expect(events[0]).toBeInstanceOf(OrderReceived);
      expect(events[0]).toMatchObject({
        eventType: 'OrderReceived',
        orderId: ORDER_ID,
        externalId: order.externalId,
        occurredAt: RECEIVED_AT,
      });
      expect(events[0].eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });
  });

  describe('calculate', () => {
    it('totals the contract example exactly: lines 39.80 and 5.50, total 45.30', () => {
      const order = receive();
      order.calculate(PRODUCT_A_ORIGIN, CALCULATED_AT);

      expect(order.lines.map((line) => line.lineTotal().toString())).toEqual(['39.80', '5.50']);
      expect(order.total?.toString()).toBe('45.30');
      expect(order.status).toBe(OrderStatus.Calculated);
      expect(order.calculatedAt).toBe(CALCULATED_AT);
    });

    it('multiplies "0.10" by 3 into exactly "0.30"', () => {
      const order = receive(anOrderMessage({ items: [anItem({ unitPrice: '0.10', quantity: 3 })] }));
      order.calculate(PRODUCT_A_ORIGIN, CALCULATED_AT);
      expect(order.total?.toString()).toBe('0.30');
    });

    it.each([
      ['BRL', '1000000000000000000.00'],
      ['KWD', '1000000000000000000.000'],
    ])('totals the largest legal order in %s exact to the last digit', (currency, total) => {
      const order = receive(largestLegalOrderMessage(currency));
      order.calculate(PRODUCT_A_ORIGIN, CALCULATED_AT);
      expect(order.itemCount).toBe(1000);
      expect(order.total?.toString()).toBe(total);
    });

    it('records one OrderCalculated carrying the totals and the correlation id', () => {
      const order = receive();
      order.pullEvents();
      order.calculate(PRODUCT_A_ORIGIN, CALCULATED_AT);
      const events = order.pullEvents();

      expect(events).toHaveLength(1);
      const event = events[0] as OrderCalculated;
      expect(event).toBeInstanceOf(OrderCalculated);
      expect(event.eventType).toBe('OrderCalculated');
      expect(event.occurredAt).toBe(CALCULATED_AT);
      expect(event.orderId).toBe(ORDER_ID);
      expect(event.externalId).toBe(order.externalId);
      expect(event.customerId).toBe('C-42');
      expect(event.currency.code).toBe('BRL');
      expect(event.total.toString()).toBe('45.30');
      expect(event.lines).toBe(order.lines);
      expect(event.correlationId).toBe('corr-42');
    });

    it('carries a missing correlation id and customer as null', () => {
      const order = receive(anOrderMessage({ customerId: undefined }), null);
      order.calculate(PRODUCT_A_ORIGIN, CALCULATED_AT);
      expect(order.pullEvents().at(-1)).toMatchObject({ customerId: null, correlationId: null });
    });

    it('rejects calculating twice and records nothing more', () => {
      const order = receive();
      order.calculate(PRODUCT_A_ORIGIN, CALCULATED_AT);
      order.pullEvents();

      expect(() => order.calculate(PRODUCT_A_ORIGIN, new Date())).toThrow(InvalidTransitionError);
      expect(() => order.calculate(PRODUCT_A_ORIGIN, new Date())).toThrow(
        expect.objectContaining({ code: 'invalid-transition' }),
      );
      expect(order.calculatedAt).toBe(CALCULATED_AT);
      expect(order.pullEvents()).toEqual([]);
    });
  });

  it('hands its events out once', () => {
    const order = receive();
    expect(order.pullEvents()).toHaveLength(1);
    expect(order.pullEvents()).toEqual([]);
  });

  it('gives every event its own id', () => {
    const order = receive();
    order.calculate(PRODUCT_A_ORIGIN, CALCULATED_AT);
    const [received, calculated] = order.pullEvents();
    expect(received.eventId).not.toBe(calculated.eventId);
  });

  describe('snapshot', () => {
    it('writes money as decimal strings with the currency decimals', () => {
      const order = receive(anOrderMessage({ currency: 'KWD', items: [anItem({ unitPrice: '1.25', quantity: 3 })] }));
      order.calculate(PRODUCT_A_ORIGIN, CALCULATED_AT);

      expect(order.toSnapshot()).toEqual({
        id: ORDER_ID,
        externalId: order.externalId,
        customerId: 'C-42',
        currency: 'KWD',
        placedAt: new Date('2026-11-21T10:00:00Z'),
        status: 'CALCULATED',
        total: '3.750',
        receivedAt: RECEIVED_AT,
        calculatedAt: CALCULATED_AT,
        paidAt: null,
        shippedAt: null,
        deliveredAt: null,
        cancelledAt: null,
        paymentId: null,
        version: 1,
        fingerprint: order.fingerprint,
        correlationId: 'corr-42',
        lines: [{ lineNo: 1, productId: 'P-1', name: 'Mouse', unitPrice: '1.250', quantity: 3 }],
      });
    });

    it('round-trips a received order through restore without recording events', () => {
      const snapshot = receive().toSnapshot();
      const restored = Order.restore(snapshot);

      expect(restored.toSnapshot()).toEqual(snapshot);
      expect(restored.total).toBeNull();
      expect(restored.pullEvents()).toEqual([]);
    });

    it('round-trips a calculated order, total and lines exact', () => {
      const order = receive(largestLegalOrderMessage('KWD'));
      order.calculate(PRODUCT_A_ORIGIN, CALCULATED_AT);
      const restored = Order.restore({ ...order.toSnapshot(), version: 3 });

      expect(restored.toSnapshot()).toEqual({ ...order.toSnapshot(), version: 3 });
      expect(restored.total?.equals(order.total!)).toBe(true);
      expect(restored.lines[999].lineTotal().toString()).toBe('1000000000000000.000');
      expect(restored.status).toBe(OrderStatus.Calculated);
      expect(() => restored.calculate(PRODUCT_A_ORIGIN, new Date())).toThrow(InvalidTransitionError);
    });

    it('restores only the fields a snapshot defines, whatever else the stored row carries', () => {
      const snapshot = receive().toSnapshot();
      const row = {
        ...snapshot,
        updatedAt: new Date(),
        lines: snapshot.lines.map((line) => ({ ...line, orderId: 'x' })),
      };
      expect(Order.restore(row).toSnapshot()).toEqual(snapshot);
    });

    it('lets a restored received order be calculated', () => {
      const restored = Order.restore(receive().toSnapshot());
      restored.calculate(PRODUCT_A_ORIGIN, CALCULATED_AT);
      expect(restored.total?.toString()).toBe('45.30');
      expect(restored.pullEvents()).toHaveLength(1);
    });
  });
});
