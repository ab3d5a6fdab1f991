import { describe, expect, it } from 'vitest';
import { DomainError } from './domain-error.js';
import { CurrencyMismatchError, InvalidAmountError, UnknownCurrencyError } from './money.errors.js';
import { DuplicateOrderConflictError, InvalidOrderError, InvalidTransitionError } from './order.errors.js';

describe('domain errors', () => {
  it('builds an invalid-order message that names the field', () => {
    const error = new InvalidOrderError('items[1].unitPrice', 'has 3 decimal places but BRL allows at most 2');

    expect(error.code).toBe('invalid-order');
    expect(error.field).toBe('items[1].unitPrice');
    expect(error.detail).toBe('has 3 decimal places but BRL allows at most 2');
    expect(error.message).toBe('items[1].unitPrice has 3 decimal places but BRL allows at most 2.');
  });

  it('says which order stands on a conflicting duplicate', () => {
    const error = new DuplicateOrderConflictError('A-1', '5f0e4b8e-8f3a-4c1e-9a55-2b1f0c6d7e81');

    expect(error.code).toBe('duplicate-conflict');
    expect(error.externalId).toBe('A-1');
    expect(error.existingOrderId).toBe('5f0e4b8e-8f3a-4c1e-9a55-2b1f0c6d7e81');
    expect(error.message).toBe(
      'externalId A-1 was already received as order 5f0e4b8e-8f3a-4c1e-9a55-2b1f0c6d7e81 with different content; ' +
        'the first order stands.',
    );
  });

  it('says why an order cannot move on', () => {
    const error = new InvalidTransitionError('o-1', 'CALCULATED', 'calculated');

    expect(error.code).toBe('invalid-transition');
    expect(error.message).toBe('Order o-1 cannot be calculated: it is CALCULATED.');
  });

  it.each([
    [new InvalidOrderError('externalId', 'is required'), 'InvalidOrderError'],
    [new DuplicateOrderConflictError('A-1', 'o-1'), 'DuplicateOrderConflictError'],
    [new InvalidTransitionError('o-1', 'CALCULATED', 'calculated'), 'InvalidTransitionError'],
    [new UnknownCurrencyError('is unknown'), 'UnknownCurrencyError'],
    [new CurrencyMismatchError('BRL', 'JPY'), 'CurrencyMismatchError'],
    [new InvalidAmountError('bad'), 'InvalidAmountError'],
  ])('makes %s a named DomainError', (error, name) => {
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
  });
});
