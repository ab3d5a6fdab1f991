/**
 * RFC 3339 (section 5.6) without the parts a Date cannot hold: a date-time with a zone, or, where
 * the caller allows it, a full date meaning midnight UTC. Every field is range-checked, so no
 * other form of ISO 8601 (week or ordinal dates, compact forms) and no Invalid Date gets through.
 */
const RFC_3339 =
  /^(?<year>\d{4})-(?<month>\d{2})-(?<day>\d{2})(?:[Tt](?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2})(?:\.(?<fraction>\d+))?(?<zone>[Zz]|(?<offsetSign>[+-])(?<offsetHour>\d{2}):(?<offsetMinute>\d{2})))?$/;

export type Rfc3339Form = 'date-time' | 'date-time-or-date';

/** The instant written, or null when the text is not of the form or names no real date and time. */
export function parseRfc3339(text: string, form: Rfc3339Form): Date | null {
  const parts = RFC_3339.exec(text)?.groups;
  if (!parts || (parts.zone === undefined && form === 'date-time')) return null;
  return toInstant(parts);
}

/** Whether the text has the form at all, real or not (tells "wrong form" from "no such date"). */
export function hasRfc3339Form(text: string, form: Rfc3339Form): boolean {
  const parts = RFC_3339.exec(text)?.groups;
  return parts !== undefined && (parts.zone !== undefined || form === 'date-time-or-date');
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
