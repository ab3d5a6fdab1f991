import { Currency } from './currency.value-object.js';
import { abbreviate, describeJsonValue, quote } from './json-value.js';
import { UnknownCurrencyError } from './money.errors.js';
import { NumberLiteral } from './number-literal.value-object.js';
import { InvalidOrderError } from './order.errors.js';
import { hasRfc3339Form, parseRfc3339 } from './rfc3339.js';

const EXTERNAL_ID_MAX_LENGTH = 64;
const EXTERNAL_ID_FORBIDDEN = /[^A-Za-z0-9._:-]/u;
const MAX_QUANTITY = 1_000_000n;
/** A longer integer literal is out of range whatever its digits: refused before BigInt reads it. */
const MAX_QUANTITY_LITERAL_LENGTH = MAX_QUANTITY.toString().length;

interface Length {
  readonly min: number;
  readonly max: number;
}

/** An idempotency key (an order's externalId, a payment's paymentId): 1–64 characters of a small set. */
export function readExternalId(value: unknown, field = 'externalId'): string {
  const externalId = readText(value, field, { min: 1, max: EXTERNAL_ID_MAX_LENGTH });
  const forbidden = EXTERNAL_ID_FORBIDDEN.exec(externalId);
  if (forbidden) {
    throw new InvalidOrderError(
      field,
      `contains ${quote(forbidden[0])}, but only A-Z, a-z, 0-9, ".", "_", ":" and "-" are allowed`,
    );
  }
  return externalId;
}

/** A required string whose length counts Unicode code points, as a person counts characters. */
export function readText(value: unknown, field: string, length: Length): string {
  if (value === undefined) throw new InvalidOrderError(field, 'is required');
  if (typeof value !== 'string') {
    throw new InvalidOrderError(field, `must be a string, not ${describeJsonValue(value)}`);
  }
  return checkText(value, field, length);
}

/** Absent and null both mean "none". */
export function readOptionalText(value: unknown, field: string, length: Length): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    throw new InvalidOrderError(field, `must be a string or null, not ${describeJsonValue(value)}`);
  }
  return checkText(value, field, length);
}

function checkText(text: string, field: string, { min, max }: Length): string {
  const length = text.length > max ? [...text].length : text.length;
  if (length < min) throw new InvalidOrderError(field, 'must not be empty');
  if (length > max) {
    throw new InvalidOrderError(field, `must be at most ${max} characters long but has ${length}`);
  }
  // Both are valid in a JSON string but cannot be stored as text, so reject them here rather than fail on write.
  if (/\p{Cs}/u.test(text)) {
    throw new InvalidOrderError(field, 'contains an unpaired surrogate (\\uD800-\\uDFFF), which is not valid Unicode');
  }
  if (text.includes('\u0000')) {
    throw new InvalidOrderError(field, 'contains the NUL character (\\u0000), which cannot be stored');
  }
  return text;
}

export function readCurrency(value: unknown): Currency {
  if (value === undefined) throw new InvalidOrderError('currency', 'is required');
  if (typeof value !== 'string') {
    throw new InvalidOrderError('currency', `must be an ISO 4217 code such as "BRL", not ${describeJsonValue(value)}`);
  }
  try {
    return Currency.of(value);
  } catch (error) {
    if (error instanceof UnknownCurrencyError) throw new InvalidOrderError('currency', error.detail);
    throw error;
  }
}

/** An ISO 8601 date-time with a zone; digits beyond milliseconds are dropped, as a Date keeps no more. */
export function readOptionalDateTime(value: unknown, field: string): Date | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    throw new InvalidOrderError(field, `must be an ISO 8601 date-time string or null, not ${describeJsonValue(value)}`);
  }
  if (!hasRfc3339Form(value, 'date-time')) {
    throw new InvalidOrderError(
      field,
      'must be an ISO 8601 date-time with a time zone, such as "2026-11-21T10:00:00Z" or ' +
        `"2026-11-21T07:00:00-03:00", not ${quote(value)}`,
    );
  }
  const instant = parseRfc3339(value, 'date-time');
  if (!instant) throw new InvalidOrderError(field, `is not a real date and time: ${quote(value)}`);
  return instant;
}

/** A JSON integer: a number written without a point or exponent (2.0 is refused), never a string. */
export function readQuantity(value: unknown, field: string): number {
  if (value === undefined) throw new InvalidOrderError(field, 'is required');
  if (typeof value === 'string') {
    throw new InvalidOrderError(field, `must be a JSON integer, not a string (${quote(value)})`);
  }
  const quantity = wholeNumber(value, field);
  if (quantity === null || quantity < 1n || quantity > MAX_QUANTITY) {
    const written = value instanceof NumberLiteral ? value.text : String(quantity);
    throw new InvalidOrderError(field, `must be between 1 and ${MAX_QUANTITY}; got ${abbreviate(written)}`);
  }
  return Number(quantity);
}

/** The integer written, or null when its literal alone shows it is out of range. */
function wholeNumber(value: unknown, field: string): bigint | null {
  if (value instanceof NumberLiteral) {
    if (/^-?[0-9]+$/.test(value.text)) {
      return value.text.length > MAX_QUANTITY_LITERAL_LENGTH ? null : BigInt(value.text);
    }
    throw new InvalidOrderError(
      field,
      `must be a JSON integer, written without a decimal point or exponent; got ${abbreviate(value.text)}`,
    );
  }
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return BigInt(value);
    throw new InvalidOrderError(field, `must be a JSON integer; got ${value}`);
  }
  throw new InvalidOrderError(field, `must be a JSON integer, not ${describeJsonValue(value)}`);
}
