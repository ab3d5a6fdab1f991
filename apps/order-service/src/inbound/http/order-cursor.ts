import { BadRequestException } from '@nestjs/common';
import type { OrderViewPosition } from '@app/ordering';
import { isISO8601, isUUID } from 'class-validator';

/**
 * The opaque `cursor` of GET /orders: the keyset position of a page's last order, base64url-encoded
 * so that clients pass it back untouched instead of building their own.
 */
export const OrderCursor = {
  encode({ receivedAt, orderId }: OrderViewPosition): string {
    return Buffer.from(JSON.stringify([receivedAt.toISOString(), orderId])).toString('base64url');
  },

  decode(cursor: string): OrderViewPosition {
    try {
      const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      if (Array.isArray(decoded) && decoded.length === 2) {
        const [receivedAt, orderId] = decoded as unknown[];
        if (typeof receivedAt === 'string' && isISO8601(receivedAt, { strict: true }) && isUUID(orderId, 'all')) {
          return { receivedAt: new Date(receivedAt), orderId: orderId as string };
        }
      }
    } catch {
      // fall through: not base64url JSON
    }
    throw new BadRequestException('cursor is not a cursor returned by GET /orders; pass nextCursor back unchanged');
  },
};
