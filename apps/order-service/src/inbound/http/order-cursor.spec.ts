import { BadRequestException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { OrderCursor } from './order-cursor.js';

describe('OrderCursor', () => {
  it('gives back the position it encoded, to the millisecond', () => {
    const position = { receivedAt: new Date('2026-11-21T10:00:00.123Z'), orderId: crypto.randomUUID() };
    expect(OrderCursor.decode(OrderCursor.encode(position))).toEqual(position);
  });

  it('is opaque and safe in a query string', () => {
    const cursor = OrderCursor.encode({ receivedAt: new Date(), orderId: crypto.randomUUID() });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['not base64url JSON', '%%%'],
    ['JSON of another shape', Buffer.from('{"a":1}').toString('base64url')],
    ['a bad timestamp', Buffer.from(JSON.stringify(['yesterday', crypto.randomUUID()])).toString('base64url')],
    [
      'a week date, which would be an Invalid Date',
      Buffer.from(JSON.stringify(['2026-W01', crypto.randomUUID()])).toString('base64url'),
    ],
    [
      'a compact timestamp',
      Buffer.from(JSON.stringify(['20261121T100000Z', crypto.randomUUID()])).toString('base64url'),
    ],
    [
      'a day that does not exist',
      Buffer.from(JSON.stringify(['2026-02-30T00:00:00Z', crypto.randomUUID()])).toString('base64url'),
    ],
    [
      'characters outside base64url around a valid cursor',
      `${OrderCursor.encode({ receivedAt: new Date(), orderId: crypto.randomUUID() })}\u0000`,
    ],
    ['a bad order id', Buffer.from(JSON.stringify([new Date().toISOString(), 'x'])).toString('base64url')],
  ])('refuses %s with a 400 that names the cursor', (_, cursor) => {
    expect(() => OrderCursor.decode(cursor)).toThrow(BadRequestException);
    expect(() => OrderCursor.decode(cursor)).toThrow(/cursor/);
  });
});
