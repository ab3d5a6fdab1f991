import type { OrderCalculatedMessage, OrderDocument } from '@app/simulators';
import { describe, expect, it } from 'vitest';
import { differences } from './order-verification.js';

/** The contract's example message (section 2) and the REST answer for the same order. */
const message: OrderCalculatedMessage = {
  eventId: '0b6c1f7e-0000-4000-8000-000000000001',
  eventType: 'OrderCalculated',
  occurredAt: '2026-11-21T10:00:00.120Z',
  orderId: '5f0e2c1a-0000-4000-8000-000000000002',
  externalId: 'A-2026-000123',
  customerId: 'C-42',
  status: 'CALCULATED',
  currency: 'BRL',
  total: '45.30',
  itemCount: 2,
  items: [
    { productId: 'P-1', name: 'Mouse', unitPrice: '19.90', quantity: 2, lineTotal: '39.80' },
    { productId: 'P-7', name: 'Pad', unitPrice: '5.50', quantity: 1, lineTotal: '5.50' },
  ],
};
const order: OrderDocument = {
  orderId: message.orderId,
  externalId: message.externalId,
  customerId: message.customerId,
  status: message.status,
  currency: message.currency,
  total: message.total,
  itemCount: message.itemCount,
  items: message.items,
  receivedAt: '2026-11-21T10:00:00.100Z',
  calculatedAt: '2026-11-21T10:00:00.100Z',
  updatedAt: '2026-11-21T10:00:00.100Z',
  version: 1,
};

describe('differences between an OrderCalculated message and the REST answer', () => {
  it('finds none when both agree and the arithmetic holds', () => {
    expect(differences(message, order)).toEqual([]);
  });

  it('accepts an order that has moved on since its calculation (paid, shipped…)', () => {
    expect(differences(message, { ...order, status: 'SHIPPED', version: 3 })).toEqual([]);
  });

  it('reports an order the API does not know (read-your-event broken)', () => {
    expect(differences(message, null)).toEqual([`order ${message.orderId} is unknown to GET /orders/{orderId}`]);
  });

  it('reports a total or status that differs over REST', () => {
    expect(differences(message, { ...order, total: '45.31', status: 'RECEIVED' })).toEqual([
      'status is RECEIVED over REST',
      'total: "45.30" in the message, "45.31" over REST',
    ]);
  });

  it('checks the arithmetic of the message itself, exactly', () => {
    const wrong = {
      ...message,
      total: '45.29',
      items: [{ ...message.items[0], lineTotal: '39.81' }, message.items[1]],
    };
    expect(differences(wrong, { ...order, total: '45.29', items: wrong.items })).toEqual([
      'items[0].lineTotal 39.81 is not 19.90 × 2',
      'total 45.29 is not the sum of the line totals',
    ]);
  });
});
