import type { Currency } from './currency.value-object.js';
import { abbreviate, describeJsonValue, quote } from './json-value.js';
import { excessDecimalsDetail } from './money.errors.js';
import { Money } from './money.value-object.js';
import { NumberLiteral } from './number-literal.value-object.js';
import { InvalidOrderError } from './order.errors.js';

const MAX_UNIT_PRICE = 1_000_000_000n;
const MAX_INTEGER_DIGITS = BigInt(MAX_UNIT_PRICE.toString().length);
/** A double carries 15 significant decimal digits faithfully; beyond that a sender's float may have bent it. */
const MAX_SIGNIFICANT_DIGITS = 15;
/**
 * Longer than any price the contract allows needs (15 significant digits, a point, zeros and an
 * exponent), and short enough that the BigInt work on it is negligible: checked before any of it.
 */
export const MAX_PRICE_LITERAL_LENGTH = 64;
const PLAIN_DECIMAL = /^([0-9]+)(?:\.([0-9]+))?$/;
const JSON_NUMBER = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/;

/** An exact decimal: value = digits × 10^-scale, digits without leading zeros ('' is zero). */
interface ExactDecimal {
  readonly digits: string;
  readonly scale: bigint;
}

/** Reads items[i].unitPrice exactly, from a decimal string or a JSON number, rejecting what it cannot keep exact. */
export function readUnitPrice(value: unknown, currency: Currency, field: string): Money {
  if (value === undefined) throw new InvalidOrderError(field, 'is required');
  if (typeof value === 'string') return toMoney(fromDecimalString(value, field), currency, field, quote(value));
  if (value instanceof NumberLiteral || typeof value === 'number') {
    const text = numberText(value, field);
    return toMoney(fromJsonNumber(text, field), currency, field, abbreviate(text));
  }
  throw new InvalidOrderError(
    field,
    `must be a decimal string such as "19.90" or a JSON number, not ${describeJsonValue(value)}`,
  );
}

function numberText(value: NumberLiteral | number, field: string): string {
  if (value instanceof NumberLiteral) {
    if (value.text.length > MAX_PRICE_LITERAL_LENGTH) {
      throw new InvalidOrderError(
        field,
        `is a JSON number written in ${value.text.length} characters, more than the ${MAX_PRICE_LITERAL_LENGTH} ` +
          `a price needs; got ${abbreviate(value.text)}`,
      );
    }
    return value.text;
  }
  if (!Number.isFinite(value)) throw new InvalidOrderError(field, `must be a finite number, not ${value}`);
  return String(value);
}

function fromDecimalString(text: string, field: string): ExactDecimal {
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) {
    throw new InvalidOrderError(
      field,
      'must be in plain decimal notation such as "19.90" (digits, optionally a point and more digits; ' +
        `no sign, exponent, spaces or separators), not ${quote(text)}`,
    );
  }
  const [, integerPart = '', fraction = ''] = match;
  return { digits: withoutLeadingZeros(integerPart + fraction), scale: BigInt(fraction.length) };
}

function fromJsonNumber(text: string, field: string): ExactDecimal {
  const match = JSON_NUMBER.exec(text);
  if (!match) throw new InvalidOrderError(field, `is not a valid JSON number: ${abbreviate(text)}`);
  const [, sign, integerPart = '', fraction = '', exponent] = match;
  const written = withoutLeadingZeros(integerPart + fraction);
  if (sign === '-' && written !== '') {
    throw new InvalidOrderError(field, `must not be negative; got ${abbreviate(text)}`);
  }
  if (written.length > MAX_SIGNIFICANT_DIGITS) {
    throw new InvalidOrderError(
      field,
      `has ${written.length} significant digits but a JSON number may carry at most ${MAX_SIGNIFICANT_DIGITS}; ` +
        'send the price as a decimal string',
    );
  }
  const scale = BigInt(fraction.length);
  if (exponent === undefined) return { digits: written, scale };
  // With an exponent the digits as written say nothing about decimal places (1.50e1 is 15), so count the exact value's.
  const digits = written.replace(/0+$/, '');
  if (digits === '') return { digits, scale: 0n };
  return { digits, scale: scale - BigInt(exponent) - BigInt(written.length - digits.length) };
}

function toMoney(decimal: ExactDecimal, currency: Currency, field: string, shown: string): Money {
  const decimalPlaces = decimal.scale > 0n ? decimal.scale : 0n;
  if (decimalPlaces > BigInt(currency.decimals)) {
    throw new InvalidOrderError(field, excessDecimalsDetail(decimalPlaces, currency));
  }
  const integerDigits = BigInt(decimal.digits.length) - decimal.scale;
  // Bounded before any power of ten is built, so 1e999999999 costs nothing.
  const minorUnits =
    integerDigits > MAX_INTEGER_DIGITS
      ? null
      : BigInt(decimal.digits || '0') * 10n ** (BigInt(currency.decimals) - decimal.scale);
  if (minorUnits === null || minorUnits > MAX_UNIT_PRICE * 10n ** BigInt(currency.decimals)) {
    throw new InvalidOrderError(field, `must not exceed ${MAX_UNIT_PRICE}; got ${shown}`);
  }
  return Money.ofMinor(minorUnits, currency);
}

function withoutLeadingZeros(digits: string): string {
  return digits.replace(/^0+/, '');
}
