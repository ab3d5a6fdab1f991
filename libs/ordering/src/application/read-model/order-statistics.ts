import type { OrderStatus } from '../../domain/index.js';

/** Counts per status (every status present, zero included) and the sum of totals per currency. */
export interface OrderStatistics {
  readonly countsByStatus: Readonly<Record<OrderStatus, number>>;
  readonly totalsByCurrency: Readonly<Record<string, string>>;
}

/** The same figures as the store aggregates them: only the statuses it found, sums as decimal text. */
export interface StoredOrderStatistics {
  readonly countsByStatus: ReadonlyArray<{ readonly status: string; readonly count: number }>;
  readonly totalsByCurrency: ReadonlyArray<{ readonly currency: string; readonly total: string }>;
}
