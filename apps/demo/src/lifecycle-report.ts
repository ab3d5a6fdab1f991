import { LIFECYCLE_STATUSES, type LifecycleStatus, textTable } from '@app/simulators';
import type { PaymentSummary } from '../../payment-system/src/payment-summary.js';
import { BACK_OFFICE_CHANGES, type BackOfficeChange, type BackOfficeSummary } from '../../product-b/src/back-office.js';
import type { DeadLetterReport } from './dead-letters.js';
import type { HistoryCheck } from './history-check.js';
import type { IntakeCounters } from './service-metrics.js';

export interface LifecycleObservations {
  /** Orders product A expects to be calculated. */
  readonly accepted: number;
  readonly payments: PaymentSummary;
  readonly backOffice: BackOfficeSummary;
  readonly stats: Record<string, number>;
  readonly histories: HistoryCheck;
  readonly deadLetters: DeadLetterReport;
  readonly paymentCounters: IntakeCounters['payments'];
}

type Mark = 'ok' | 'DIFFERS';
const STATUS_OF_EVENT: Readonly<Record<string, LifecycleStatus>> = {
  OrderPaid: 'PAID',
  OrderPaymentFailed: 'PAYMENT_FAILED',
  OrderShipped: 'SHIPPED',
  OrderDelivered: 'DELIVERED',
  OrderCancelled: 'CANCELLED',
};

const zeroPerStatus = () =>
  Object.fromEntries(LIFECYCLE_STATUSES.map((status) => [status, 0])) as Record<LifecycleStatus, number>;

/** What B's changes did to the statuses the payments left: +1 where an order went, -1 where it left. */
function changedByBackOffice({ changes }: BackOfficeSummary): Record<LifecycleStatus, number> {
  const moved = zeroPerStatus();
  const move = (change: BackOfficeChange, from: LifecycleStatus, to: LifecycleStatus) => {
    moved[from] -= changes[change].changed;
    moved[to] += changes[change].changed;
  };
  move('ship', 'PAID', 'SHIPPED');
  move('deliver', 'SHIPPED', 'DELIVERED');
  move('cancel', 'PAID', 'CANCELLED');
  move('cancel-delivered', 'DELIVERED', 'CANCELLED');
  return moved;
}

/** Each order's status as the events B received tell it: the last one's, CALCULATED without any. */
function statusesFromEvents(
  accepted: number,
  eventsByOrder: Record<string, string[]>,
): Record<LifecycleStatus, number> {
  const counts = zeroPerStatus();
  const orders = Object.values(eventsByOrder);
  counts.CALCULATED = accepted - orders.length;
  for (const events of orders) counts[STATUS_OF_EVENT[events.at(-1)!]]++;
  return counts;
}

const signed = (value: number) => (value > 0 ? `+${value}` : String(value));
const mark = (agrees: boolean): Mark => (agrees ? 'ok' : 'DIFFERS');

/**
 * The order's life, checked from every side: per status, what product A's orders, the payment
 * system's payments and the back office's changes imply beside what B's events, /orders/stats and
 * the histories say; the events by type; the payments DLQ by reason. True when all agree.
 */
export function lifecycleReport(observed: LifecycleObservations): { text: string; allAgree: boolean } {
  const { accepted, payments, backOffice, histories } = observed;
  const afterPayments = { ...payments.expected.statuses };
  afterPayments.CALCULATED += accepted - payments.orders; // orders the payment system never saw
  const moved = changedByBackOffice(backOffice);
  const fromEvents = statusesFromEvents(accepted, backOffice.eventsByOrder);
  const sampled = histories.every > 1;
  const statusRows = LIFECYCLE_STATUSES.map((status) => {
    const expected = afterPayments[status] + moved[status];
    const inHistories = histories.countsByStatus[status] ?? 0;
    const agrees =
      fromEvents[status] === expected &&
      (observed.stats[status] ?? 0) === expected &&
      (sampled || inHistories === expected);
    return {
      agrees,
      cells: [
        status,
        String(afterPayments[status]),
        signed(moved[status]),
        String(expected),
        String(fromEvents[status]),
        String(observed.stats[status] ?? 0),
        String(inHistories),
        mark(agrees),
      ],
    };
  });

  const changed = (change: BackOfficeChange) => backOffice.changes[change].changed;
  const eventRows: [string, number, number][] = [
    ['OrderPaid', payments.expected.events.OrderPaid, backOffice.eventsByType.OrderPaid ?? 0],
    [
      'OrderPaymentFailed',
      payments.expected.events.OrderPaymentFailed,
      backOffice.eventsByType.OrderPaymentFailed ?? 0,
    ],
    ['OrderShipped', changed('ship'), backOffice.eventsByType.OrderShipped ?? 0],
    ['OrderDelivered', changed('deliver'), backOffice.eventsByType.OrderDelivered ?? 0],
    ['OrderCancelled', changed('cancel') + changed('cancel-delivered'), backOffice.eventsByType.OrderCancelled ?? 0],
  ];

  const { deadLetters, paymentCounters } = observed;
  const reasons = [...new Set([...Object.keys(payments.expected.deadLetters), ...Object.keys(deadLetters.byReason)])];
  const {
    changed: lateChanged,
    unchanged: lateUnchanged,
    refused: lateRefused,
  } = backOffice.changes['cancel-delivered'];
  const lateCancellations = lateChanged + lateUnchanged + lateRefused;
  const refused = BACK_OFFICE_CHANGES.reduce((sum, change) => sum + backOffice.changes[change].refused, 0);
  const paymentRows: [string, number, number, string][] = [
    ['orders the payment system handled', accepted, payments.orders, 'OrderCalculated on its queue'],
    ['payments sent', payments.published, payments.confirmed, 'broker confirms'],
    [
      'payments that changed an order',
      payments.expected.changed,
      paymentCounters.received.changed ?? 0,
      'payments_received_total',
    ],
    [
      'payments taken as duplicates',
      payments.expected.duplicates,
      paymentCounters.received.duplicate ?? 0,
      'payments_received_total',
    ],
    ...reasons.map((reason): [string, number, number, string] => [
      `dead-lettered: ${reason}`,
      payments.expected.deadLetters[reason as keyof PaymentSummary['expected']['deadLetters']] ?? 0,
      deadLetters.byReason[reason] ?? 0,
      'payments DLQ, x-rejection-reason',
    ]),
    ['changes refused by the service (409)', lateCancellations, refused, 'cancelling a delivered order'],
  ];

  const marks = [
    ...statusRows.map((row) => row.agrees),
    ...eventRows.map(([, wanted, got]) => wanted === got),
    ...paymentRows.map(([, wanted, got]) => wanted === got),
  ];
  const clean =
    histories.disagreeing === 0 &&
    payments.awaitingFailure === 0 &&
    payments.unroutable === 0 &&
    payments.error === null &&
    backOffice.error === null &&
    backOffice.unreadable === 0;
  const allAgree = marks.every(Boolean) && clean;

  const historyScope = sampled
    ? `every ${histories.every}th of the ${histories.orders} orders (${histories.checked}); their column counts only those`
    : `every order (${histories.checked})`;
  const text = [
    'the order lifecycle, per status:',
    textTable([
      ['', 'after payments', "B's changes", 'expected', 'B received', '/orders/stats', 'histories', ''],
      ...statusRows.map((row) => row.cells),
    ]),
    `histories read: ${historyScope}; ${histories.disagreeing} disagree with the order or with the events B received`,
    ...histories.disagreements.map((disagreement) => `  history: ${disagreement}`),
    '',
    textTable([
      ['events on order.status-changed', 'expected', 'received by B', ''],
      ...eventRows.map(([type, wanted, got]) => [type, String(wanted), String(got), mark(wanted === got)]),
    ]),
    '',
    textTable([
      ['payments and changes', 'expected', 'observed', '', 'where'],
      ...paymentRows.map(([label, wanted, got, where]) => [
        label,
        String(wanted),
        String(got),
        mark(wanted === got),
        where,
      ]),
    ]),
    '',
    'why the payments DLQ holds what it holds (one x-rejection-detail per reason):',
    ...Object.entries(deadLetters.examples).map(([reason, detail]) => `  ${reason}: ${detail}`),
    ...backOffice.refusals.slice(0, 1).map((refusal) => `a refusal B received: ${refusal}`),
    ...(payments.awaitingFailure > 0
      ? [`${payments.awaitingFailure} refused orders never got their OrderPaymentFailed`]
      : []),
    ...(payments.error ? [`the payment system stopped: ${payments.error}`] : []),
    ...(backOffice.error ? [`the back office stopped: ${backOffice.error}`] : []),
  ];
  return { text: text.join('\n'), allAgree };
}
