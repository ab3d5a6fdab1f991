import { describe, expect, it } from 'vitest';
import { parseRfc3339 } from './rfc3339.js';

describe('parseRfc3339', () => {
  it.each([
    ['2026-11-21T10:00:00Z', '2026-11-21T10:00:00.000Z'],
    ['2026-11-21T07:00:00-03:00', '2026-11-21T10:00:00.000Z'],
    ['2026-11-21t10:00:00.5z', '2026-11-21T10:00:00.500Z'],
    ['2026-11-21T10:00:00.123456789+00:00', '2026-11-21T10:00:00.123Z'],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
  ])('reads the date-time %s', (text, instant) => {
    expect(parseRfc3339(text, 'date-time')?.toISOString()).toBe(instant);
    expect(parseRfc3339(text, 'date-time-or-date')?.toISOString()).toBe(instant);
  });

  it('reads a full date as midnight UTC, only where a date is allowed', () => {
    expect(parseRfc3339('2026-11-21', 'date-time-or-date')?.toISOString()).toBe('2026-11-21T00:00:00.000Z');
    expect(parseRfc3339('2026-11-21', 'date-time')).toBeNull();
  });

  it.each([
    ['a week date', '2026-W01'],
    ['a week date with a day', '2026-W01-1'],
    ['an ordinal date', '2026-325'],
    ['a compact date-time', '20261121T100000Z'],
    ['a compact date', '20261121'],
    ['a year and month', '2026-11'],
    ['no time zone', '2026-11-21T10:00:00'],
    ['no seconds', '2026-11-21T10:00Z'],
    ['an offset without a colon', '2026-11-21T10:00:00+0300'],
    ['a space for T', '2026-11-21 10:00:00Z'],
    ['an expanded year', '+002026-11-21T10:00:00Z'],
    ['month 13', '2026-13-01'],
    ['February 30', '2026-02-30T00:00:00Z'],
    ['February 29 of a common year', '2026-02-29'],
    ['hour 24', '2026-11-21T24:00:00Z'],
    ['minute 60', '2026-11-21T10:60:00Z'],
    ['second 60', '2026-11-21T10:00:60Z'],
    ['an offset of 24 hours', '2026-11-21T10:00:00+24:00'],
    ['a NUL after a valid date', '2026-11-21\u0000'],
    ['a trailing newline', '2026-11-21T10:00:00Z\n'],
    ['free text', 'yesterday'],
    ['nothing', ''],
  ])('refuses %s', (_, text) => {
    expect(parseRfc3339(text, 'date-time-or-date')).toBeNull();
  });

  it('gives a valid Date for every form it accepts, however far from today', () => {
    for (const text of ['0000-01-01', '0001-01-01T00:00:00+23:59', '9999-12-31T23:59:59.999-23:59']) {
      expect(Number.isNaN(parseRfc3339(text, 'date-time-or-date')!.getTime())).toBe(false);
    }
  });
});
