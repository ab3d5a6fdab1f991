import type { Currency } from './currency.value-object.js';
import { quote } from './json-value.js';
import { CurrencyMismatchError, excessDecimalsDetail, InvalidAmountError } from './money.errors.js';

const PLAIN_DECIMAL = /^([0-9]+)(?:\.([0-9]+))?$/;

/**
 * An exact, non-negative amount held as a bigint of minor units (cents for BRL, fils for KWD), so
 * sums of any size stay exact: no float ever touches it and no 64-bit limit applies.
 */
export class Money {
  private constructor(
    readonly minorUnits: bigint,
    readonly currency: Currency,
  ) {}

  static zero(currency: Currency): Money {
    return new Money(0n, currency);
  }

  static ofMinor(minorUnits: bigint, currency: Currency): Money {
    if (minorUnits < 0n) {
      throw new InvalidAmountError(`An amount cannot be negative; got ${minorUnits} minor units of ${currency.code}.`);
    }
    return new Money(minorUnits, currency);
  }

  /** Reads a plain decimal such as "45.30" (as stored in a numeric column); never rounds. */
  static parse(decimalText: string, currency: Currency): Money {
    const match = PLAIN_DECIMAL.exec(decimalText);
    if (!match) {
      throw new InvalidAmountError(`${quote(decimalText)} is not a plain decimal such as "45.30".`);
    }
    const [, integerPart = '', fraction = ''] = match;
    if (fraction.length > currency.decimals) {
      throw new InvalidAmountError(`${quote(decimalText)} ${excessDecimalsDetail(fraction.length, currency)}.`);
    }
    return new Money(BigInt(integerPart + fraction.padEnd(currency.decimals, '0')), currency);
  }

  add(other: Money): Money {
    if (!this.currency.equals(other.currency)) {
      throw new CurrencyMismatchError(this.currency.code, other.currency.code);
    }
    return new Money(this.minorUnits + other.minorUnits, this.currency);
  }

  multiply(quantity: bigint | number): Money {
    if (typeof quantity === 'number' && !Number.isSafeInteger(quantity)) {
      throw new RangeError(`Money can only be multiplied by a whole number, not ${quantity}.`);
    }
    return Money.ofMinor(this.minorUnits * BigInt(quantity), this.currency);
  }

  equals(other: Money): boolean {
    return this.currency.equals(other.currency) && this.minorUnits === other.minorUnits;
  }

  /** The amount with exactly the currency's decimal places: "45.30", "1500" (JPY), "1.250" (KWD). */
  toString(): string {
    const decimals = this.currency.decimals;
    const digits = this.minorUnits.toString().padStart(decimals + 1, '0');
    if (decimals === 0) return digits;
    return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  }

  toJSON(): string {
    return this.toString();
  }
}
