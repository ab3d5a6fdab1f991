import { calculatedCount, sameTotals, textTable } from '@app/simulators';
import type { SentSummary } from '../../product-a/src/sent-summary.js';
import type { WalkResult } from '../../product-b/src/cursor-walk.js';
import type { ReceivedSummary } from '../../product-b/src/order-calculated.consumer.js';
import type { DeadLetterReport } from './dead-letters.js';
import type { IntakeCounters } from './service-metrics.js';

export interface DemoObservations {
  readonly sent: SentSummary;
  readonly counters: IntakeCounters;
  readonly deadLetters: DeadLetterReport;
  readonly calculated: number;
  readonly totalsByCurrency: Record<string, string>;
  readonly received: ReceivedSummary | null;
  readonly walk: WalkResult | null;
  readonly settledSeconds: number | null;
}

type Row = readonly [label: string, expected: string, observed: string, source: string];

const amounts = (totals: Record<string, string>) =>
  Object.entries(totals)
    .filter(([, amount]) => /[1-9]/.test(amount))
    .map(([currency, amount]) => `${currency} ${amount}`)
    .join(', ');

/** Product A's expectations beside what the service, its DLQ and product B observed; true when all agree. */
export function demoReport(observed: DemoObservations): { text: string; allAgree: boolean } {
  const { sent, counters, deadLetters, received, walk } = observed;
  const { expected } = sent;
  const reasons = [...new Set([...Object.keys(expected.rejected), ...Object.keys(deadLetters.byReason)])].sort();
  const count = (value: number | undefined) => (value === undefined ? '-' : String(value));
  const rows: Row[] = [
    ['sent by product A', count(sent.published), count(sent.confirmed), 'broker confirms'],
    ['accepted as new orders', count(expected.accepted), count(counters.received), 'orders_received_total'],
    ['duplicates detected', count(expected.duplicates), count(counters.duplicates), 'orders_duplicates_total'],
    ...reasons.map((reason): Row => [
      `rejected: ${reason}`,
      count(expected.rejected[reason as keyof typeof expected.rejected] ?? 0),
      count(deadLetters.byReason[reason] ?? 0),
      'DLQ, x-rejection-reason',
    ]),
    ['calculated (any status since)', count(expected.accepted), count(observed.calculated), 'GET /orders/stats'],
    [
      'received by product B',
      count(expected.accepted),
      count(received?.orders),
      `${received?.repeated ?? '-'} repeated`,
    ],
    [
      'verified by REST',
      count(expected.accepted),
      count(received?.verified),
      `${received?.mismatched ?? '-'} mismatched, ${received?.retried ?? '-'} retried`,
    ],
    [
      'walked with the cursor',
      count(expected.accepted),
      count(walk ? calculatedCount(walk.countsByStatus) : undefined),
      walk ? `${walk.pages} pages, ${walk.agreesWithStats ? 'agrees' : 'DISAGREES'} with stats` : 'not run',
    ],
  ];
  const totalsAgree = sameTotals(expected.totalsByCurrency, observed.totalsByCurrency);
  const receivedTotalsAgree = received !== null && sameTotals(expected.totalsByCurrency, received.totalsByCurrency);
  const walkClean = walk !== null && walk.agreesWithStats && walk.repeated === 0 && walk.outOfOrder === 0;
  const marks = rows.map(([, wanted, got]) => wanted === got);
  const allAgree = marks.every(Boolean) && totalsAgree && receivedTotalsAgree && walkClean && sent.unroutable === 0;
  const table = textTable([
    ['', 'expected', 'observed', '', 'where'],
    ...rows.map(([label, wanted, got, source], index) => [label, wanted, got, marks[index] ? 'ok' : 'DIFFERS', source]),
  ]);
  const details = Object.entries(deadLetters.examples).map(([reason, detail]) => `  ${reason}: ${detail}`);
  const text = [
    table,
    '',
    `totals sent by A:        ${amounts(expected.totalsByCurrency)}`,
    `totals in /orders/stats: ${amounts(observed.totalsByCurrency)}  ${totalsAgree ? 'ok' : 'DIFFER'}`,
    `totals verified by B:    ${amounts(received?.totalsByCurrency ?? {})}  ${receivedTotalsAgree ? 'ok' : 'DIFFER'}`,
    '',
    'why the DLQ holds what it holds (one x-rejection-detail per reason):',
    ...details,
    '',
    observed.settledSeconds === null
      ? 'NOT SETTLED: the service or product B did not finish in time (see above)'
      : `settled ${observed.settledSeconds.toFixed(1)} s after product A started`,
    ...(received?.mismatches ?? []).map((mismatch) => `mismatch: ${mismatch}`),
    ...(received?.lastRetryReason ? [`product B last retried because: ${received.lastRetryReason}`] : []),
  ];
  return { text: text.join('\n'), allAgree };
}
