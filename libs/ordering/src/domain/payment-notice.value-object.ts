import { createHash } from 'node:crypto';
import { DomainError } from './domain-error.js';
import { describeJsonValue, isJsonObject, member, quote } from './json-value.js';
import type { Money } from './money.value-object.js';
import { isOrderId } from './order-id.js';
import { readCurrency, readExternalId, readOptionalDateTime, readText } from './order-message.reader.js';
import { InvalidOrderError } from './order.errors.js';
import { readUnitPrice } from './unit-price.reader.js';

/** The payment system's message breaks the contract (docs/contract.md, section 4.1), naming the field. */
export class InvalidPaymentError extends DomainError {
  override readonly code = 'invalid-payment';

  constructor(
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${field} ${detail}.`);
  }
}

export class DuplicatePaymentConflictError extends DomainError {
  override readonly code = 'duplicate-conflict';

  constructor(readonly paymentId: string) {
    super(`paymentId ${paymentId} was already received with different content; the first payment stands.`);
  }
}

export type PaymentOutcome = 'confirmed' | 'rejected';

const REASON_LENGTH = { min: 1, max: 500 } as const;

interface PaymentContent {
  readonly outcome: PaymentOutcome;
  readonly paymentId: string;
  readonly orderId: string;
  readonly occurredAt: Date;
}

export interface ConfirmedPayment extends PaymentContent {
  readonly outcome: 'confirmed';
  readonly amount: Money;
}

export interface RejectedPayment extends PaymentContent {
  readonly outcome: 'rejected';
  readonly reason: string;
}

/** A payment as the payment system reported it, checked field by field, with its content's fingerprint. */
export type PaymentNotice = (ConfirmedPayment | RejectedPayment) & { readonly fingerprint: string };

/**
 * Reads a decoded payment message (numbers still as written, like an order's). The outcome comes from
 * the routing key, so the same body shape serves both. Throws InvalidPaymentError naming the field.
 */
export function parsePaymentNotice(input: unknown, outcome: PaymentOutcome): PaymentNotice {
  try {
    return withFingerprint(read(input, outcome));
  } catch (error) {
    // The order's field readers apply the same rules; their errors are this message's.
    if (error instanceof InvalidOrderError) throw new InvalidPaymentError(error.field, error.detail);
    throw error;
  }
}

function read(input: unknown, outcome: PaymentOutcome): ConfirmedPayment | RejectedPayment {
  if (!isJsonObject(input)) {
    throw new InvalidPaymentError('(body)', `must be a JSON object, not ${describeJsonValue(input)}`);
  }
  const paymentId = readExternalId(member(input, 'paymentId'), 'paymentId');
  const orderId = readText(member(input, 'orderId'), 'orderId', { min: 1, max: 64 });
  if (!isOrderId(orderId)) throw new InvalidPaymentError('orderId', `must be an order's UUID, not ${quote(orderId)}`);
  const common = { paymentId, orderId };
  if (outcome === 'rejected') {
    const reason = readText(member(input, 'reason'), 'reason', REASON_LENGTH);
    return { outcome, ...common, reason, occurredAt: readOccurredAt(input) };
  }
  const currency = readCurrency(member(input, 'currency'));
  const amount = readUnitPrice(member(input, 'amount'), currency, 'amount');
  return { outcome, ...common, amount, occurredAt: readOccurredAt(input) };
}

function readOccurredAt(input: Record<string, unknown>): Date {
  const occurredAt = readOptionalDateTime(member(input, 'occurredAt'), 'occurredAt');
  if (occurredAt === null) throw new InvalidPaymentError('occurredAt', 'is required');
  return occurredAt;
}

/**
 * What the payment says, in one canonical form ("45.3" and "45.30" alike): the same paymentId with
 * another fingerprint is a conflict. When it was sent (`occurredAt`) is not part of what it says.
 */
function withFingerprint(payment: ConfirmedPayment | RejectedPayment): PaymentNotice {
  const said =
    payment.outcome === 'confirmed'
      ? [payment.outcome, payment.paymentId, payment.orderId, payment.amount.currency.code, payment.amount.toString()]
      : [payment.outcome, payment.paymentId, payment.orderId, payment.reason];
  return { ...payment, fingerprint: createHash('sha256').update(JSON.stringify(said)).digest('hex') };
}
