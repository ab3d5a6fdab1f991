import { LIFECYCLE_STATUSES, type LifecycleStatus, type PublishCounts, textTable } from '@app/simulators';
import {
  PAYMENT_KINDS,
  type OrderPayments,
  type PaymentDeadLetterReason,
  type PaymentExpectation,
  type PaymentKind,
  type PaymentMessage,
  STATUS_AFTER,
} from './payment-plan.js';

const DEAD_LETTER_REASONS: readonly PaymentDeadLetterReason[] = [
  'invalid-json',
  'invalid-payment',
  'payment-mismatch',
  'unknown-order',
  'invalid-transition',
];

/** What the payment system sent and, from that, what the service should make of it (the demo compares). */
export interface PaymentSummary extends PublishCounts {
  readonly seed: number;
  readonly queue: string;
  /** Distinct OrderCalculated events handled. */
  readonly orders: number;
  readonly byKind: Record<PaymentKind, number>;
  /** Invalid payments by what is wrong with them. */
  readonly flaws: Record<string, number>;
  /** Payments sent, by outcome (routing key). */
  readonly sent: Record<PaymentMessage['outcome'], number>;
  /** Refused orders to be paid again whose OrderPaymentFailed never came: nothing was sent for them. */
  readonly awaitingFailure: number;
  readonly expected: {
    /** Payments that change their order, and those taken as duplicates (payments_received_total). */
    readonly changed: number;
    readonly duplicates: number;
    /** The payments that must be in the DLQ, by x-rejection-reason. */
    readonly deadLetters: Record<PaymentDeadLetterReason, number>;
    /** The orders' statuses once every payment was handled, before anyone else changes them. */
    readonly statuses: Record<LifecycleStatus, number>;
    readonly events: { readonly OrderPaid: number; readonly OrderPaymentFailed: number };
  };
  readonly error: string | null;
}

/** Counts kept as the payment system goes: orders by kind, payments sent by what they should cause. */
export class PaymentTally {
  readonly byKind = Object.fromEntries(PAYMENT_KINDS.map((kind) => [kind, 0])) as Record<PaymentKind, number>;
  readonly flaws: Record<string, number> = {};
  readonly sent: Record<PaymentMessage['outcome'], number> = { confirmed: 0, rejected: 0 };
  private readonly expectations = new Map<PaymentExpectation, number>();
  orders = 0;

  order({ kind, flaw }: OrderPayments): void {
    this.orders++;
    this.byKind[kind]++;
    if (flaw) this.flaws[flaw] = (this.flaws[flaw] ?? 0) + 1;
  }

  payment(message: PaymentMessage): void {
    this.sent[message.outcome]++;
    this.expectations.set(message.expected, this.expected(message.expected) + 1);
  }

  expected(what: PaymentExpectation): number {
    return this.expectations.get(what) ?? 0;
  }
}

export interface SummaryContext {
  readonly seed: number;
  readonly queue: string;
  readonly counts: PublishCounts;
  readonly awaitingFailure: number;
  readonly error: string | null;
}

export function paymentSummary(tally: PaymentTally, context: SummaryContext): PaymentSummary {
  const { byKind } = tally;
  const statuses = Object.fromEntries(LIFECYCLE_STATUSES.map((status) => [status, 0])) as Record<
    LifecycleStatus,
    number
  >;
  for (const kind of PAYMENT_KINDS) statuses[STATUS_AFTER[kind]] += byKind[kind];
  // Their second payment was never sent: the refusal stands.
  statuses.PAID -= context.awaitingFailure;
  statuses.PAYMENT_FAILED += context.awaitingFailure;
  return {
    seed: context.seed,
    queue: context.queue,
    ...context.counts,
    orders: tally.orders,
    byKind,
    flaws: tally.flaws,
    sent: tally.sent,
    awaitingFailure: context.awaitingFailure,
    expected: {
      changed: tally.expected('changed'),
      duplicates: tally.expected('duplicate'),
      deadLetters: Object.fromEntries(DEAD_LETTER_REASONS.map((reason) => [reason, tally.expected(reason)])) as Record<
        PaymentDeadLetterReason,
        number
      >,
      statuses,
      events: {
        OrderPaid: statuses.PAID,
        OrderPaymentFailed: byKind.rejected + byKind['rejected-then-confirmed'],
      },
    },
    error: context.error,
  };
}

export function renderPaymentSummary(summary: PaymentSummary): string {
  const { byKind, expected } = summary;
  const flaws = Object.entries(summary.flaws)
    .map(([flaw, count]) => `${flaw} ${count}`)
    .join(', ');
  const rows = [
    ['confirmed', byKind.confirmed, 'PAID'],
    ['rejected, then confirmed', byKind['rejected-then-confirmed'], 'PAYMENT_FAILED, then PAID'],
    ['rejected', byKind.rejected, 'PAYMENT_FAILED'],
    ['confirmed twice (same payment)', byKind['confirmed-twice'], 'PAID; the second is a duplicate'],
    ['paid twice (two payments)', byKind['paid-twice'], 'PAID; DLQ: invalid-transition, to refund'],
    ['wrong amount', byKind['wrong-amount'], 'stays CALCULATED; DLQ: payment-mismatch'],
    ['for an unknown order', byKind['unknown-order'], 'stays CALCULATED; DLQ: unknown-order'],
    ['invalid', byKind.invalid, `stays CALCULATED; DLQ: invalid-payment / invalid-json${flaws ? ` (${flaws})` : ''}`],
  ].map(([label, count, effect]) => [String(label), String(count), String(effect)]);
  const deadLetters = Object.entries(expected.deadLetters)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  return [
    `payment system: ${summary.orders} orders, ${summary.published} payments sent (${summary.sent.confirmed} confirmed, ` +
      `${summary.sent.rejected} rejected), ${summary.confirmed} confirmed by the broker, ${summary.unroutable} unroutable`,
    textTable([['orders', 'count', 'what the service should do'], ...rows]),
    `expected in the payments DLQ: ${deadLetters || 'nothing'}`,
    ...(summary.awaitingFailure > 0
      ? [`${summary.awaitingFailure} refused orders still await OrderPaymentFailed`]
      : []),
    ...(summary.error ? [`stopped: ${summary.error}`] : []),
  ].join('\n');
}
