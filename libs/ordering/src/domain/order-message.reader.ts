import { Currency } from './currency.value-object.js';
import { abbreviate, describeJsonValue, quote } from './json-value.js';
import { UnknownCurrencyError } from './money.errors.js';
import { NumberLiteral } from './number-literal.value-object.js';
import { InvalidOrderError } from './order.errors.js';

const EXTERNAL_ID_MAX_LENGTH = 64;
const EXTERNAL_ID_FORBIDDEN = /[^A-Za-z0-9._:-]/u;
const MAX_QUANTITY = 1_000_000n;
const DATE_TIME =
  /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})T(?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2})(?:\.(?<fraction>\d+))?(?:Z|(?<offsetSign>[+-])(?<offsetHour>\d{2}):(?<offsetMinute>\d{2}))$/;

interface Length {
  readonly min: number;
  readonly max: number;
}

export function readExternalId(value: unknown): string {
  const externalId = readText(value, 'externalId', { min: 1, max: EXTERNAL_ID_MAX_LENGTH });
  const forbidden = EXTERNAL_ID_FORBIDDEN.exec(externalId);
  if (forbidden) {
    throw new InvalidOrderError(
      'externalId',
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
  const parts = DATE_TIME.exec(value)?.groups;
  if (!parts) {
    throw new InvalidOrderError(
      field,
      'must be an ISO 8601 date-time with a time zone, such as "2026-11-21T10:00:00Z" or ' +
        `"2026-11-21T07:00:00-03:00", not ${quote(value)}`,
    );
  }
  const instant = toInstant(parts);
  if (!instant) throw new InvalidOrderError(field, `is not a real date and time: ${quote(value)}`);
  return instant;
}

function toInstant(parts: Readonly<Record<string, string | undefined>>): Date | null {
  const int = (name: string): number => Number.parseInt(parts[name] ?? '0', 10);
  const [year, month, day, hour, minute, second] = ['year', 'month', 'day', 'hour', 'minute', 'second'].map(int);
  const [offsetHour, offsetMinute] = [int('offsetHour'), int('offsetMinute')];
  const isReal =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHour <= 23 &&
    offsetMinute <= 59;
  if (!isReal) return null;
  const milliseconds = Number.parseInt((parts.fraction ?? '').padEnd(3, '0').slice(0, 3), 10);
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const instant = new Date(0);
  instant.setUTCFullYear(year, month - 1, day);
  instant.setUTCHours(hour, minute, second, milliseconds);
  const offsetMinutes = (offsetHour * 60 + offsetMinute) * (parts.offsetSign === '-' ? -1 : 1);
  return new Date(instant.getTime() - offsetMinutes * 60_000);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A JSON integer: a number written without a point or exponent (2.0 is refused), never a string. */
export function readQuantity(value: unknown, field: string): number {
  if (value === undefined) throw new InvalidOrderError(field, 'is required');
  if (typeof value === 'string') {
    throw new InvalidOrderError(field, `must be a JSON integer, not a string (${quote(value)})`);
  }
  const quantity = wholeNumber(value, field);
  if (quantity < 1n || quantity > MAX_QUANTITY) {
    throw new InvalidOrderError(field, `must be between 1 and ${MAX_QUANTITY}; got ${abbreviate(quantity.toString())}`);
  }
  return Number(quantity);
}

function wholeNumber(value: unknown, field: string): bigint {
  if (value instanceof NumberLiteral) {
    if (/^-?[0-9]+$/.test(value.text)) return BigInt(value.text);
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
