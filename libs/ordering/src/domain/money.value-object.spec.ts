import { describe, expect, it } from 'vitest';
import { Currency } from './currency.value-object.js';
import { CurrencyMismatchError, InvalidAmountError } from './money.errors.js';
import { Money } from './money.value-object.js';

const BRL = Currency.of('BRL');
const JPY = Currency.of('JPY');
const KWD = Currency.of('KWD');

describe('Money', () => {
  it('multiplies "0.10" by 3 into exactly "0.30"', () => {
    expect(Money.parse('0.10', BRL).multiply(3).toString()).toBe('0.30');
  });

  it('formats with exactly the currency decimal places', () => {
    expect(Money.zero(BRL).toString()).toBe('0.00');
    expect(Money.parse('45.3', BRL).toString()).toBe('45.30');
    expect(Money.parse('1500', JPY).toString()).toBe('1500');
    expect(Money.parse('1.25', KWD).toString()).toBe('1.250');
    expect(Money.ofMinor(1n, Currency.of('CLF')).toString()).toBe('0.0001');
    expect(Money.ofMinor(5n, BRL).toString()).toBe('0.05');
  });

  it('serialises to JSON as its decimal string', () => {
    expect(JSON.stringify({ total: Money.parse('45.30', BRL) })).toBe('{"total":"45.30"}');
  });

  it('keeps amounts as minor units', () => {
    expect(Money.parse('19.90', BRL).minorUnits).toBe(1990n);
    expect(Money.parse('1.250', KWD).minorUnits).toBe(1250n);
    expect(Money.parse('1500', JPY).minorUnits).toBe(1500n);
  });

  it('rejects a decimal with more places than the currency has instead of rounding it', () => {
    expect(() => Money.parse('19.999', BRL)).toThrow(InvalidAmountError);
    expect(() => Money.parse('1500.5', JPY)).toThrow('"1500.5" has 1 decimal place but JPY allows none.');
  });

  it.each(['-1.00', '1e3', '.5', '5.', ' 1', '1,00', ''])('rejects %j, which is not a plain decimal', (text) => {
    expect(() => Money.parse(text, BRL)).toThrow(InvalidAmountError);
  });

  it('cannot be negative', () => {
    expect(() => Money.ofMinor(-1n, BRL)).toThrow(InvalidAmountError);
    expect(() => Money.parse('1.00', BRL).multiply(-1)).toThrow(InvalidAmountError);
  });

  it('adds amounts of the same currency exactly', () => {
    expect(Money.parse('39.80', BRL).add(Money.parse('5.50', BRL)).toString()).toBe('45.30');
  });

  it('refuses to add amounts in different currencies', () => {
    const adding = () => Money.parse('1.00', BRL).add(Money.parse('1', JPY));
    expect(adding).toThrow(CurrencyMismatchError);
    expect(adding).toThrow(expect.objectContaining({ code: 'currency-mismatch' }));
  });

  it('multiplies only by whole numbers', () => {
    expect(Money.parse('2.50', BRL).multiply(4n).toString()).toBe('10.00');
    expect(() => Money.parse('2.50', BRL).multiply(1.5)).toThrow(RangeError);
    expect(() => Money.parse('2.50', BRL).multiply(Number.NaN)).toThrow(RangeError);
  });

  it('compares by currency and amount', () => {
    expect(Money.parse('19.9', BRL).equals(Money.ofMinor(1990n, BRL))).toBe(true);
    expect(Money.parse('19.90', BRL).equals(Money.parse('19.91', BRL))).toBe(false);
    expect(Money.parse('1', JPY).equals(Money.ofMinor(1n, KWD))).toBe(false);
  });

  it.each([
    ['BRL', '1000000000000000000.00', 10n ** 20n],
    ['KWD', '1000000000000000000.000', 10n ** 21n],
  ])('sums the largest legal order in %s exact to the last digit', (code, total, minorUnits) => {
    const currency = Currency.of(code);
    const lineTotal = Money.parse('1000000000', currency).multiply(1_000_000);
    let sum = Money.zero(currency);
    for (let line = 0; line < 1000; line++) sum = sum.add(lineTotal);
    expect(sum.toString()).toBe(total);
    expect(sum.minorUnits).toBe(minorUnits);
  });
});
