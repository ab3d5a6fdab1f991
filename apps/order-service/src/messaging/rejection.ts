import { DomainError } from '@app/ordering';

/** The contract's x-rejection-reason codes. */
export const REJECTION_REASONS = ['invalid-json', 'invalid-order', 'duplicate-conflict', 'processing-failed'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface Rejection {
  readonly reason: RejectionReason;
  /** One sentence a person can act on, naming the field. */
  readonly detail: string;
}

const REJECTED_DOMAIN_CODES = new Set<string>(['invalid-order', 'duplicate-conflict']);

/** The errors that send a message straight to the DLQ: retrying would give the same answer. */
export function rejectionFor(error: unknown): Rejection | null {
  if (error instanceof DomainError && REJECTED_DOMAIN_CODES.has(error.code)) {
    return { reason: error.code as RejectionReason, detail: error.message };
  }
  return null;
}
