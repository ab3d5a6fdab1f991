import { MINOR_UNIT_DIGITS, NO_MINOR_UNIT } from './iso-4217.js';
import { UnknownCurrencyError } from './money.errors.js';
import { quote } from './json-value.js';

export class Currency {
  private static readonly instances = new Map<string, Currency>();

  private constructor(
    readonly code: string,
    /** How many decimal places an amount in this currency may have (ISO 4217 minor unit). */
    readonly decimals: number,
  ) {}

  static of(code: string): Currency {
    const known = Currency.instances.get(code);
    if (known) return known;
    const currency = new Currency(code, Currency.decimalsOf(code));
    Currency.instances.set(code, currency);
    return currency;
  }

  private static decimalsOf(code: string): number {
    const decimals = MINOR_UNIT_DIGITS.get(code);
    if (decimals !== undefined) return decimals;
    if (/^[A-Za-z]{3}$/.test(code) && MINOR_UNIT_DIGITS.has(code.toUpperCase())) {
      throw new UnknownCurrencyError(`must be "${code.toUpperCase()}": ISO 4217 codes are upper case`);
    }
    if (!/^[A-Z]{3}$/.test(code)) {
      throw new UnknownCurrencyError(
        `must be a three-letter upper-case ISO 4217 code such as "BRL", not ${quote(code)}`,
      );
    }
    if (NO_MINOR_UNIT.has(code)) {
      throw new UnknownCurrencyError(`${code} has no minor unit in ISO 4217 and cannot price an order`);
    }
    throw new UnknownCurrencyError(`${code} is not an active ISO 4217 currency code`);
  }

  equals(other: Currency): boolean {
    return this.code === other.code;
  }

  toString(): string {
    return this.code;
  }

  toJSON(): string {
    return this.code;
  }
}
