import { DomainError } from '@app/ordering';

/** The contract's x-rejection-reason codes of product A's orders (section 1). */
export const ORDER_REJECTION_REASONS = [
  'invalid-json',
  'invalid-order',
  'duplicate-conflict',
  'processing-failed',
] as const;

/** The contract's x-rejection-reason codes of the payment system's messages (section 4.1). */
export const PAYMENT_REJECTION_REASONS = [
  'invalid-json',
  'invalid-payment',
  'payment-mismatch',
  'unknown-order',
  'invalid-transition',
  'duplicate-conflict',
  'processing-failed',
] as const;

export type RejectionReason = (typeof ORDER_REJECTION_REASONS)[number] | (typeof PAYMENT_REJECTION_REASONS)[number];

export interface Rejection {
  readonly reason: RejectionReason;
  /** One sentence a person can act on, naming the field. */
  readonly detail: string;
}

const REJECTED_DOMAIN_CODES = new Set<string>([
  'invalid-order',
  'duplicate-conflict',
  'invalid-payment',
  'payment-mismatch',
  'invalid-transition',
]);

/** The errors that send a message straight to the DLQ: retrying would give the same answer. */
export function rejectionFor(error: unknown): Rejection | null {
  if (error instanceof DomainError && REJECTED_DOMAIN_CODES.has(error.code)) {
    return { reason: error.code as RejectionReason, detail: error.message };
  }
  return null;
}
