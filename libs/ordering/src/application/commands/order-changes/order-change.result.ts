import type { OrderStatus } from '../../../domain/index.js';

/**
 * What a change came to: `changed` (one event, version + 1), `unchanged` (the order had already made
 * it: no event), or `duplicate` (the same payment again).
 */
export interface OrderChangeResult {
  readonly orderId: string;
  readonly outcome: 'changed' | 'unchanged' | 'duplicate';
  readonly status: OrderStatus;
  readonly version: number;
}
