import type { Currency } from './currency.value-object.js';
import { DomainError } from './domain-error.js';

/** The detail completes a sentence whose subject is the currency, so callers can name their own field. */
export class UnknownCurrencyError extends DomainError {
  override readonly code = 'unknown-currency';

  constructor(readonly detail: string) {
    super(`The currency ${detail}.`);
  }
}

export class CurrencyMismatchError extends DomainError {
  override readonly code = 'currency-mismatch';

  constructor(left: string, right: string) {
    super(`Cannot combine an amount in ${left} with one in ${right}.`);
  }
}

export class InvalidAmountError extends DomainError {
  override readonly code = 'invalid-amount';

  constructor(message: string) {
    super(message);
  }
}

/** "has 3 decimal places but BRL allows at most 2", shared by every reader of amounts. */
export function excessDecimalsDetail(places: bigint | number, currency: Currency): string {
  const allowed = currency.decimals === 0 ? 'allows none' : `allows at most ${currency.decimals}`;
  return `has ${places} decimal place${BigInt(places) === 1n ? '' : 's'} but ${currency.code} ${allowed}`;
}
