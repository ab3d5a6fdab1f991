import { describe, expect, it } from 'vitest';
import { Currency } from './currency.value-object.js';
import { UnknownCurrencyError } from './money.errors.js';

describe('Currency', () => {
  it.each([
    ['BRL', 2],
    ['USD', 2],
    ['EUR', 2],
    ['XCG', 2],
    ['ZWG', 2],
    ['CLF', 4],
    ['UYW', 4],
  ])('knows that %s has %i decimal places', (code, decimals) => {
    expect(Currency.of(code).decimals).toBe(decimals);
  });

  it.each('BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF'.split(' '))(
    'knows that %s has no decimal places',
    (code) => {
      expect(Currency.of(code).decimals).toBe(0);
    },
  );

  it.each('BHD IQD JOD KWD LYD OMR TND'.split(' '))('knows that %s has three decimal places', (code) => {
    expect(Currency.of(code).decimals).toBe(3);
  });

  it('hands out one instance per code', () => {
    expect(Currency.of('BRL')).toBe(Currency.of('BRL'));
    expect(Currency.of('BRL').equals(Currency.of('JPY'))).toBe(false);
  });

  it('serialises to JSON as its code', () => {
    expect(JSON.stringify({ currency: Currency.of('KWD') })).toBe('{"currency":"KWD"}');
  });

  it('rejects a lower-case code and says codes are upper case', () => {
    expect(() => Currency.of('brl')).toThrow(UnknownCurrencyError);
    expect(() => Currency.of('brl')).toThrow('The currency must be "BRL": ISO 4217 codes are upper case.');
  });

  it.each('XAU XAG XPT XPD XDR XTS XXX XBA XBB XBC XBD XSU XUA'.split(' '))(
    'rejects %s, which has no minor unit',
    (code) => {
      expect(() => Currency.of(code)).toThrow(`${code} has no minor unit`);
    },
  );

  it.each(['HRK', 'VEF', 'MRO', 'ZWL', 'XYZ'])('rejects %s, which is not an active ISO 4217 code', (code) => {
    expect(() => Currency.of(code)).toThrow(`${code} is not an active ISO 4217 currency code`);
  });

  it.each(['', 'BR', 'BRLX', 'B1L', 'R$'])('rejects %j, which is not three letters', (code) => {
    expect(() => Currency.of(code)).toThrow('must be a three-letter upper-case ISO 4217 code');
  });
});
