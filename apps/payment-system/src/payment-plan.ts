import { randomUUID } from 'node:crypto';
import {
  formatMinorUnits,
  type LifecycleStatus,
  minorUnitsOf,
  type OrderCalculatedMessage,
  SeededRandom,
  ShareTable,
} from '@app/simulators';

/** What the payment system does with one calculated order. */
export type PaymentKind =
  | 'confirmed'
  | 'rejected-then-confirmed'
  | 'rejected'
  | 'confirmed-twice'
  | 'paid-twice'
  | 'wrong-amount'
  | 'unknown-order'
  | 'invalid';

export const PAYMENT_KINDS: readonly PaymentKind[] = [
  'confirmed',
  'rejected-then-confirmed',
  'rejected',
  'confirmed-twice',
  'paid-twice',
  'wrong-amount',
  'unknown-order',
  'invalid',
];

/** The service's x-rejection-reason codes a payment system can cause (contract section 4.1). */
export type PaymentDeadLetterReason =
  'invalid-json' | 'invalid-payment' | 'payment-mismatch' | 'unknown-order' | 'invalid-transition';

/** What the service should do with a payment: change the order, take it as a duplicate, or dead-letter it. */
export type PaymentExpectation = 'changed' | 'duplicate' | PaymentDeadLetterReason;

export interface PaymentMessage {
  readonly outcome: 'confirmed' | 'rejected';
  /** The paymentId, or for a message without one a made-up id: the AMQP message id. */
  readonly messageId: string;
  readonly body: Buffer;
  readonly expected: PaymentExpectation;
}

export interface OrderPayments {
  readonly kind: PaymentKind;
  /** For an invalid payment, what is wrong with it. */
  readonly flaw?: string;
  /** Sent at once. */
  readonly now: readonly PaymentMessage[];
  /** Sent when the order's OrderPaymentFailed arrives: the customer pays again after the refusal. */
  readonly afterFailure: readonly PaymentMessage[];
}

export interface PlanSettings {
  readonly seed: number;
  /** Shares of the orders, each from 0 to 1, together at most 1; the others are simply confirmed. */
  readonly rejected: number;
  /** Share of the rejected orders paid after all. */
  readonly retried: number;
  readonly duplicates: number;
  readonly paidTwice: number;
  readonly wrongAmounts: number;
  readonly unknownOrders: number;
  readonly invalid: number;
}

/** The status each kind leaves the order in, once all its payments were handled. */
export const STATUS_AFTER: Readonly<Record<PaymentKind, LifecycleStatus>> = {
  confirmed: 'PAID',
  'rejected-then-confirmed': 'PAID',
  rejected: 'PAYMENT_FAILED',
  'confirmed-twice': 'PAID',
  'paid-twice': 'PAID',
  'wrong-amount': 'CALCULATED',
  'unknown-order': 'CALCULATED',
  invalid: 'CALCULATED',
};

const REFUSALS = ['card declined', 'insufficient funds', 'suspected fraud', 'card expired'];

/** Ways to break a payment, each with the reason the service dead-letters it for. */
const FLAWS: readonly (readonly [flaw: string, reason: PaymentDeadLetterReason, spoil: (body: Payment) => string])[] = [
  ['paymentId missing', 'invalid-payment', ({ paymentId: _, ...rest }) => JSON.stringify(rest)],
  [
    'amount with too many decimals',
    'invalid-payment',
    (body) => JSON.stringify({ ...body, amount: finer(body.amount!) }),
  ],
  ['orderId not a UUID', 'invalid-payment', (body) => JSON.stringify({ ...body, orderId: `order-${body.orderId}` })],
  ['truncated JSON', 'invalid-json', (body) => JSON.stringify(body).slice(0, 40)],
];

interface Payment {
  paymentId: string;
  orderId: string;
  amount?: string;
  currency?: string;
  reason?: string;
  occurredAt: string;
}

/**
 * The payment system's choices, reproducible from a seed: what happens to an order is drawn from a
 * generator of its own keyed by the order's externalId, so it depends neither on the order in which
 * the orders arrive nor on the others. The ids (paymentIds, the unknown orders) are random.
 */
export class PaymentPlan {
  private readonly kinds: ShareTable<PaymentKind>;

  constructor(
    private readonly settings: PlanSettings,
    private readonly newId: () => string = randomUUID,
  ) {
    const { rejected, retried } = settings;
    this.kinds = new ShareTable<PaymentKind>(
      [
        ['rejected-then-confirmed', rejected * retried],
        ['rejected', rejected * (1 - retried)],
        ['confirmed-twice', settings.duplicates],
        ['paid-twice', settings.paidTwice],
        ['wrong-amount', settings.wrongAmounts],
        ['unknown-order', settings.unknownOrders],
        ['invalid', settings.invalid],
      ],
      'confirmed',
    );
  }

  paymentsFor(order: OrderCalculatedMessage, occurredAt = new Date()): OrderPayments {
    const random = SeededRandom.forKey(this.settings.seed, order.externalId);
    const kind = this.kinds.pick(random.next());
    const at = occurredAt.toISOString();
    const confirmation = (orderId = order.orderId, amount = order.total!): Payment => ({
      paymentId: `PAY-${this.newId()}`,
      orderId,
      amount,
      currency: order.currency,
      occurredAt: at,
    });
    const rejection = (): Payment => ({
      paymentId: `PAY-${this.newId()}`,
      orderId: order.orderId,
      reason: random.pick(REFUSALS),
      occurredAt: at,
    });
    const message = (body: Payment, expected: PaymentExpectation, text = JSON.stringify(body)): PaymentMessage => ({
      outcome: body.reason === undefined ? 'confirmed' : 'rejected',
      messageId: body.paymentId,
      body: Buffer.from(text),
      expected,
    });
    const plan = (now: PaymentMessage[], afterFailure: PaymentMessage[] = []) => ({ kind, now, afterFailure });
    switch (kind) {
      case 'confirmed':
        return plan([message(confirmation(), 'changed')]);
      case 'rejected-then-confirmed':
        return plan([message(rejection(), 'changed')], [message(confirmation(), 'changed')]);
      case 'rejected':
        return plan([message(rejection(), 'changed')]);
      case 'confirmed-twice': {
        const once = message(confirmation(), 'changed');
        return plan([once, { ...once, expected: 'duplicate' }]);
      }
      case 'paid-twice':
        // Whichever the service commits first pays the order; the other must be refunded.
        return plan([message(confirmation(), 'changed'), message(confirmation(), 'invalid-transition')]);
      case 'wrong-amount':
        return plan([message(confirmation(order.orderId, otherAmount(order.total!, random)), 'payment-mismatch')]);
      case 'unknown-order':
        return plan([message(confirmation(this.newId()), 'unknown-order')]);
      case 'invalid': {
        const [flaw, reason, spoil] = random.pick(FLAWS);
        const body = confirmation();
        return { ...plan([message(body, reason, spoil(body))]), flaw };
      }
    }
  }
}

/** The amount with one decimal more than its currency has: 45.30 as 45.301, 1500 yen as 1500.1. */
function finer(amount: string): string {
  const { minorUnits, scale } = minorUnitsOf(amount);
  return formatMinorUnits(minorUnits * 10n + 1n, scale + 1);
}

/** The total off by 1 to 100 minor units, in the currency's own decimals. */
function otherAmount(total: string, random: SeededRandom): string {
  const { minorUnits, scale } = minorUnitsOf(total);
  return formatMinorUnits(minorUnits + BigInt(random.integer(1, 100)), scale);
}
