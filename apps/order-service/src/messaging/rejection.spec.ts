import { DependencyUnavailableError, DuplicateOrderConflictError, InvalidOrderError } from '@app/ordering';
import { describe, expect, it } from 'vitest';
import { rejectionFor } from './rejection.js';

describe('rejectionFor', () => {
  it('dead-letters invalid orders and conflicting duplicates with the contract reason', () => {
    const invalid = new InvalidOrderError('items[0].quantity', 'must be at least 1');
    expect(rejectionFor(invalid)).toEqual({ reason: 'invalid-order', detail: invalid.message });
    const conflict = new DuplicateOrderConflictError('A-1', '5f0e0000-0000-4000-8000-000000000000');
    expect(rejectionFor(conflict)).toEqual({ reason: 'duplicate-conflict', detail: conflict.message });
  });

  it('leaves outages and unexpected errors to the retry policy', () => {
    expect(rejectionFor(new DependencyUnavailableError('PostgreSQL', new Error('down')))).toBeNull();
    expect(rejectionFor(new TypeError('bug'))).toBeNull();
  });
});
