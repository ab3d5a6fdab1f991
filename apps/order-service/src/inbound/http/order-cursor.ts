import { BadRequestException } from '@nestjs/common';
import { parseRfc3339, type OrderViewPosition } from '@app/ordering';
import { isUUID } from 'class-validator';

/**
 * The opaque `cursor` of GET /orders: the keyset position of a page's last order, base64url-encoded
 * so that clients pass it back untouched instead of building their own.
 */
export const OrderCursor = {
  encode({ receivedAt, orderId }: OrderViewPosition): string {
    return Buffer.from(JSON.stringify([receivedAt.toISOString(), orderId])).toString('base64url');
  },

  decode(cursor: string): OrderViewPosition {
    // Buffer.from skips characters outside the alphabet: a cursor with any is not one of ours.
    if (!BASE64URL.test(cursor)) throw notACursor();
    try {
      const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (Array.isArray(decoded) && decoded.length === 2) {
        const [receivedAt, orderId] = decoded as unknown[];
        const instant = typeof receivedAt === 'string' ? parseRfc3339(receivedAt, 'date-time') : null;
        if (instant && isUUID(orderId, 'all')) return { receivedAt: instant, orderId: orderId as string };
      }
    } catch {
      // fall through: not base64url JSON
    }
    throw notACursor();
  },
};

const BASE64URL = /^[A-Za-z0-9_-]{1,512}$/;

function notACursor(): BadRequestException {
  return new BadRequestException('cursor is not a cursor returned by GET /orders; pass nextCursor back unchanged');
}
