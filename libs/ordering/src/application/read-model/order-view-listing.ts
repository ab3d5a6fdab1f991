import type { OrderStatus } from '../../domain/index.js';
import type { OrderView } from './order-view.js';

/** Which orders a listing or a statistic covers; `receivedFrom` is inclusive, `receivedTo` exclusive. */
export interface OrderViewFilter {
  readonly status?: OrderStatus;
  readonly customerId?: string;
  readonly externalId?: string;
  readonly receivedFrom?: Date;
  readonly receivedTo?: Date;
}

/** The window of the statistics: `receivedFrom` inclusive, `receivedTo` exclusive, either open. */
export type ReceivedRange = Pick<OrderViewFilter, 'receivedFrom' | 'receivedTo'>;

/** A place in the newest-first order of the read table: the last order of the previous page. */
export interface OrderViewPosition {
  readonly receivedAt: Date;
  readonly orderId: string;
}

export interface OrderViewPage {
  readonly data: readonly OrderView[];
  /** Where the next page starts; null on the last page. */
  readonly next: OrderViewPosition | null;
}
