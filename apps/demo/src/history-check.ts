import type { LifecycleStatus, OrderApiClient, OrderDocument, OrderHistoryDocument } from '@app/simulators';
import { pagesOf } from '../../product-b/src/cursor-walk.js';

/** Above this many orders, every k-th order's history is read instead of all of them. */
const HISTORIES_READ_AT_MOST = 3_000;
const CONCURRENT_READS = 16;
const DISAGREEMENTS_KEPT = 10;

export interface HistoryCheck {
  readonly orders: number;
  readonly checked: number;
  /** 1 when every order was checked; k when every k-th was. */
  readonly every: number;
  /** The status of each checked order's last history entry. */
  readonly countsByStatus: Partial<Record<LifecycleStatus, number>>;
  readonly disagreeing: number;
  readonly disagreements: string[];
}

/**
 * Reads `GET /orders/{orderId}/history` of the demo's orders and checks each against the order and
 * the events product B received: versions 1, 2, 3… from OrderCalculated on, the last entry in the
 * order's status, and after OrderCalculated exactly the event types B received for it, in order.
 */
export async function checkHistories(
  api: OrderApiClient,
  window: { receivedFrom: string; receivedTo: string },
  eventsByOrder: Record<string, string[]>,
): Promise<HistoryCheck> {
  const orders: OrderDocument[] = [];
  for await (const page of pagesOf(api, { ...window, limit: '500' })) orders.push(...page);
  const every = Math.ceil(orders.length / HISTORIES_READ_AT_MOST);
  const sample = orders.filter((_, index) => index % every === 0);
  const countsByStatus: Partial<Record<LifecycleStatus, number>> = {};
  const disagreements: string[] = [];
  let disagreeing = 0;
  for (let start = 0; start < sample.length; start += CONCURRENT_READS) {
    const batch = sample.slice(start, start + CONCURRENT_READS);
    const histories = await Promise.all(batch.map((order) => api.history(order.orderId)));
    histories.forEach((history, index) => {
      const last = history.entries.at(-1);
      if (last) countsByStatus[last.status] = (countsByStatus[last.status] ?? 0) + 1;
      const problem = historyProblem(history, batch[index], eventsByOrder[history.orderId] ?? []);
      if (problem === null) return;
      disagreeing++;
      if (disagreements.length < DISAGREEMENTS_KEPT) disagreements.push(`${batch[index].externalId}: ${problem}`);
    });
  }
  return { orders: orders.length, checked: sample.length, every, countsByStatus, disagreeing, disagreements };
}

function historyProblem(history: OrderHistoryDocument, order: OrderDocument, received: string[]): string | null {
  const { entries } = history;
  const types = entries.map((entry) => entry.eventType);
  if (types[0] !== 'OrderCalculated') return `starts with ${types[0] ?? 'nothing'}`;
  if (entries.some((entry, index) => entry.version !== index + 1)) return 'versions are not 1, 2, 3…';
  if (entries.at(-1)!.status !== order.status) return `ends ${entries.at(-1)!.status}, the order is ${order.status}`;
  if (types.slice(1).join() !== received.join()) {
    return `history ${types.slice(1).join(', ') || '-'}; received ${received.join(', ') || '-'}`;
  }
  return null;
}
