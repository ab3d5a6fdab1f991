import { describe, expect, it } from 'vitest';
import { DecimalTotals, formatMinorUnits, sameTotals } from './decimal-totals.js';

describe('DecimalTotals', () => {
  it('sums decimal strings per currency exactly, beyond what a double holds', () => {
    const totals = new DecimalTotals();
    totals.add('BRL', '0.10');
    totals.add('BRL', '0.20');
    totals.add('KWD', '999999999999999999.999');
    totals.add('KWD', '0.001');
    totals.add('JPY', '1500');
    expect(totals.toJSON()).toEqual({ BRL: '0.30', JPY: '1500', KWD: '1000000000000000000.000' });
  });

  it('refuses amounts of one currency with different decimal places', () => {
    const totals = new DecimalTotals();
    totals.add('BRL', '1.00');
    expect(() => totals.add('BRL', '1.0')).toThrow(/BRL amounts with 2 and 1 decimal places/);
  });

  it('formats minor units with leading zeros', () => {
    expect(formatMinorUnits(5n, 2)).toBe('0.05');
    expect(formatMinorUnits(5n, 0)).toBe('5');
  });

  it('compares totals ignoring currencies whose sum is zero', () => {
    expect(sameTotals({ BRL: '1.00', USD: '0.00' }, { BRL: '1.00' })).toBe(true);
    expect(sameTotals({ BRL: '1.00' }, { BRL: '1.01' })).toBe(false);
  });
});
