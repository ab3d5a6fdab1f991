import { DecimalTotals, type OrderApiClient, type OrderDocument, type OrderStats, sameTotals } from '@app/simulators';

export interface WalkSettings {
  readonly receivedFrom: Date;
  readonly receivedTo: Date;
  readonly status?: string;
  readonly pageSize: number;
}

export interface WalkResult {
  readonly receivedFrom: string;
  readonly receivedTo: string;
  readonly status: string | null;
  readonly pages: number;
  readonly orders: number;
  /** Orders met on more than one page: a keyset walk must have none. */
  readonly repeated: number;
  /** Orders not newest first: must be none. */
  readonly outOfOrder: number;
  readonly countsByStatus: Record<string, number>;
  /** Sums of the totals of the calculated orders met (whatever their status since), per currency, exact. */
  readonly totalsByCurrency: Record<string, string>;
  /** `GET /orders/stats` for the same window agrees with what the walk counted and summed. */
  readonly agreesWithStats: boolean;
  readonly stats: OrderStats;
}

/**
 * Product B without a queue: walks `GET /orders` newest first for a window of receivedAt, page by
 * page with the opaque cursor, and checks what it met against `GET /orders/stats` for the same
 * window. Orders that arrive during the walk are newer than the cursor and do not disturb it.
 */
export async function walkOrders(
  api: OrderApiClient,
  settings: WalkSettings,
  onPage: (pages: number, orders: number) => void,
): Promise<WalkResult> {
  const window = { receivedFrom: settings.receivedFrom.toISOString(), receivedTo: settings.receivedTo.toISOString() };
  const seen = new Set<string>();
  const countsByStatus: Record<string, number> = {};
  const totals = new DecimalTotals();
  let pages = 0;
  let repeated = 0;
  let outOfOrder = 0;
  let previous: string | null = null;
  for await (const page of pagesOf(api, { ...window, status: settings.status, limit: String(settings.pageSize) })) {
    pages++;
    for (const order of page) {
      if (seen.has(order.orderId)) repeated++;
      seen.add(order.orderId);
      if (previous !== null && order.receivedAt > previous) outOfOrder++;
      previous = order.receivedAt;
      countsByStatus[order.status] = (countsByStatus[order.status] ?? 0) + 1;
      if (order.total !== null) totals.add(order.currency, order.total);
    }
    onPage(pages, seen.size);
  }
  const stats = await api.stats(window);
  const totalsByCurrency = totals.toJSON();
  const counted = (status: string) => countsByStatus[status] ?? 0;
  const statuses = settings.status === undefined ? Object.keys(stats.countsByStatus) : [settings.status];
  const agreesWithStats =
    statuses.every((status) => stats.countsByStatus[status] === counted(status)) &&
    // The stats sum every calculated order: a walk of one status holds only some of them.
    (settings.status !== undefined || sameTotals(totalsByCurrency, stats.totalsByCurrency));
  return {
    ...window,
    status: settings.status ?? null,
    pages,
    orders: seen.size,
    repeated,
    outOfOrder,
    countsByStatus,
    totalsByCurrency,
    agreesWithStats,
    stats,
  };
}

/** The pages of `GET /orders` for a query, newest first, following the cursor to the end. */
export async function* pagesOf(
  api: OrderApiClient,
  query: Record<string, string | undefined>,
): AsyncGenerator<OrderDocument[]> {
  for (let cursor: string | undefined; ;) {
    const page = await api.page({ ...query, cursor });
    yield page.data;
    if (page.nextCursor === null) return;
    cursor = page.nextCursor;
  }
}
