import { describe, expect, it } from 'vitest';
import { anItem, anOrderMessage } from '../../../../test/fixtures/order.mother.js';
import { NumberLiteral } from './number-literal.value-object.js';
import { InvalidOrderError } from './order.errors.js';
import { PlacedOrder } from './placed-order.value-object.js';

type Json = Record<string, unknown>;

/** The contract's example order with its first line changed (numbers may be NumberLiterals, as the adapter sends). */
const withLine = (line: Json, currency = 'BRL'): Json => ({
  ...anOrderMessage({ currency }),
  items: [{ ...anItem(), ...line }],
});

const priceOf = (unitPrice: unknown, currency = 'BRL'): string =>
  PlacedOrder.parse(withLine({ unitPrice, quantity: 1 }, currency)).lines[0].unitPrice.toString();

const quantityOf = (quantity: unknown): number => PlacedOrder.parse(withLine({ quantity })).lines[0].quantity;

function rejection(input: unknown): InvalidOrderError {
  try {
    PlacedOrder.parse(input);
  } catch (error) {
    if (error instanceof InvalidOrderError) return error;
    throw error;
  }
  throw new Error('PlacedOrder.parse accepted a message it should reject');
}

function expectRejected(input: unknown, field: string, detail?: string | RegExp): void {
  const error = rejection(input);
  expect(error.field).toBe(field);
  expect(error.code).toBe('invalid-order');
  expect(error.message.startsWith(`${field} `)).toBe(true);
  if (detail !== undefined) expect(error.detail).toMatch(detail);
}

describe('PlacedOrder.parse', () => {
  it('reads the contract example', () => {
    const order = PlacedOrder.parse({
      externalId: 'A-2026-000123',
      customerId: 'C-42',
      currency: 'BRL',
      placedAt: '2026-11-21T10:00:00Z',
      items: [
        { productId: 'P-1', name: 'Mouse', unitPrice: '19.90', quantity: new NumberLiteral('2') },
        { productId: 'P-7', name: 'Pad', unitPrice: new NumberLiteral('5.5'), quantity: new NumberLiteral('1') },
      ],
    });

    expect(order.externalId).toBe('A-2026-000123');
    expect(order.customerId).toBe('C-42');
    expect(order.currency.code).toBe('BRL');
    expect(order.placedAt).toEqual(new Date('2026-11-21T10:00:00.000Z'));
    expect(order.lines.map((line) => ({ ...line, unitPrice: line.unitPrice.toString() }))).toEqual([
      { productId: 'P-1', name: 'Mouse', unitPrice: '19.90', quantity: 2 },
      { productId: 'P-7', name: 'Pad', unitPrice: '5.50', quantity: 1 },
    ]);
  });

  it('ignores fields the contract does not define', () => {
    const order = PlacedOrder.parse({ ...anOrderMessage(), channel: 'web', items: [{ ...anItem(), colour: 'red' }] });
    expect(order.lines).toHaveLength(1);
  });

  it.each([
    ['null', null, 'must be a JSON object, not null'],
    ['an array', [anOrderMessage()], 'must be a JSON object, not an array'],
    ['a string', 'order', 'must be a JSON object, not a string'],
    ['a number', new NumberLiteral('42'), 'must be a JSON object, not a number'],
    ['a boolean', true, 'must be a JSON object, not a boolean'],
  ])('rejects a body that is %s', (_, body, detail) => {
    expectRejected(body, '(body)', detail);
  });

  it('names the first broken field in contract order', () => {
    expectRejected({ ...anOrderMessage(), externalId: 'has space', currency: 'brl' }, 'externalId');
    expectRejected({ ...anOrderMessage(), currency: 'brl', items: [] }, 'currency');
    expectRejected(
      { ...anOrderMessage(), items: [anItem(), { ...anItem(), unitPrice: '1.999', quantity: 0 }] },
      'items[1].unitPrice',
    );
  });

  describe('externalId', () => {
    it('is required', () => {
      expect(rejection({ ...anOrderMessage(), externalId: undefined }).message).toBe('externalId is required.');
      expectRejected({ ...anOrderMessage(), externalId: undefined }, 'externalId', 'is required');
    });

    it('accepts 64 characters of letters, digits and . _ : -', () => {
      const externalId = 'Az09._:-'.repeat(8);
      expect(PlacedOrder.parse(anOrderMessage({ externalId })).externalId).toBe(externalId);
    });

    it('rejects a space and names the character', () => {
      expectRejected(anOrderMessage({ externalId: 'A 1' }), 'externalId', /contains " ", but only A-Z/);
    });

    it.each(['A/1', 'Ação-1', 'A#1'])('rejects %j, which has a character outside the allowed set', (externalId) => {
      expectRejected(anOrderMessage({ externalId }), 'externalId', /but only A-Z, a-z, 0-9/);
    });

    it('rejects 65 characters', () => {
      expectRejected(
        anOrderMessage({ externalId: 'A'.repeat(65) }),
        'externalId',
        'must be at most 64 characters long but has 65',
      );
    });

    it('rejects an empty string', () => {
      expectRejected(anOrderMessage({ externalId: '' }), 'externalId', 'must not be empty');
    });

    it('rejects a number', () => {
      expectRejected(
        { ...anOrderMessage(), externalId: new NumberLiteral('123') },
        'externalId',
        'must be a string, not a number',
      );
    });
  });

  describe('customerId', () => {
    it('is optional: absent or null means none', () => {
      expect(PlacedOrder.parse(anOrderMessage({ customerId: undefined })).customerId).toBeNull();
      expect(PlacedOrder.parse({ ...anOrderMessage(), customerId: null }).customerId).toBeNull();
    });

    it('counts characters as code points: 64 emoji pass, 65 do not', () => {
      expect(PlacedOrder.parse(anOrderMessage({ customerId: '😀'.repeat(64) })).customerId).toBe('😀'.repeat(64));
      expectRejected(
        anOrderMessage({ customerId: '😀'.repeat(65) }),
        'customerId',
        'must be at most 64 characters long but has 65',
      );
    });

    it('rejects an empty string', () => {
      expectRejected(anOrderMessage({ customerId: '' }), 'customerId', 'must not be empty');
    });

    it('rejects a number', () => {
      expectRejected({ ...anOrderMessage(), customerId: 42 }, 'customerId', 'must be a string or null, not a number');
    });
  });

  describe('currency', () => {
    it('is required', () => {
      expectRejected({ ...anOrderMessage(), currency: undefined }, 'currency', 'is required');
    });

    it('rejects a lower-case code, saying codes are upper case', () => {
      expectRejected(withLine({}, 'brl'), 'currency', 'must be "BRL": ISO 4217 codes are upper case');
    });

    it.each(['XYZ', 'ZZZ', 'HRK'])('rejects %s, which is not an active ISO 4217 code', (currency) => {
      expectRejected(withLine({}, currency), 'currency', `${currency} is not an active ISO 4217 currency code`);
    });

    it('rejects gold, which has no minor unit', () => {
      expectRejected(withLine({}, 'XAU'), 'currency', /XAU has no minor unit/);
    });

    it.each(['BRLX', 'R$', ''])('rejects %j, which is not a three-letter code', (currency) => {
      expectRejected(withLine({}, currency), 'currency', /three-letter upper-case ISO 4217 code/);
    });

    it('rejects a number', () => {
      expectRejected(
        { ...anOrderMessage(), currency: 986 },
        'currency',
        'must be an ISO 4217 code such as "BRL", not a number',
      );
    });
  });

  describe('placedAt', () => {
    const placedAt = (value: unknown): Date | null =>
      PlacedOrder.parse({ ...anOrderMessage(), placedAt: value }).placedAt;

    it('is optional: absent or null means none', () => {
      expect(PlacedOrder.parse(anOrderMessage({ placedAt: undefined })).placedAt).toBeNull();
      expect(placedAt(null)).toBeNull();
    });

    it('reads UTC and offset forms as the same instant', () => {
      expect(placedAt('2026-11-21T10:00:00Z')).toEqual(new Date('2026-11-21T10:00:00.000Z'));
      expect(placedAt('2026-11-21T07:00:00-03:00')).toEqual(new Date('2026-11-21T10:00:00.000Z'));
      expect(placedAt('2026-11-21T15:30:00+05:30')).toEqual(new Date('2026-11-21T10:00:00.000Z'));
    });

    it('accepts fractional seconds, keeping milliseconds', () => {
      expect(placedAt('2026-11-21T10:00:00.5Z')).toEqual(new Date('2026-11-21T10:00:00.500Z'));
      expect(placedAt('2026-11-21T10:00:00.123456+00:00')).toEqual(new Date('2026-11-21T10:00:00.123Z'));
    });

    it('accepts 29 February in a leap year', () => {
      expect(placedAt('2028-02-29T12:00:00Z')).toEqual(new Date('2028-02-29T12:00:00.000Z'));
    });

    it('keeps years below 100 as written', () => {
      expect(placedAt('0050-01-01T00:00:00Z')?.getUTCFullYear()).toBe(50);
    });

    it.each([
      ['a date only', '2026-11-21'],
      ['no time zone', '2026-11-21T10:00:00'],
      ['a space for T', '2026-11-21 10:00:00Z'],
      ['an offset without a colon', '2026-11-21T10:00:00+0300'],
      ['no seconds', '2026-11-21T10:00Z'],
      ['free text', 'yesterday'],
    ])('rejects %s', (_, value) => {
      expectRejected(
        { ...anOrderMessage(), placedAt: value },
        'placedAt',
        /must be an ISO 8601 date-time with a time zone/,
      );
    });

    it.each([
      '2026-02-30T00:00:00Z',
      '2026-02-29T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-11-21T24:00:00Z',
      '2026-11-21T10:60:00Z',
      '2026-11-21T10:00:60Z',
      '2026-11-21T10:00:00+24:00',
    ])('rejects %s, which is not a real date and time', (value) => {
      expectRejected({ ...anOrderMessage(), placedAt: value }, 'placedAt', `is not a real date and time: "${value}"`);
    });

    it('rejects a number', () => {
      expectRejected({ ...anOrderMessage(), placedAt: new NumberLiteral('1763719200000') }, 'placedAt', /not a number/);
    });
  });

  describe('items', () => {
    it('is required', () => {
      expectRejected({ ...anOrderMessage(), items: undefined }, 'items', 'is required');
    });

    it('rejects an object in place of an array', () => {
      expectRejected(
        { ...anOrderMessage(), items: anItem() },
        'items',
        'must be an array of 1 to 1000 items, not an object',
      );
    });

    it('rejects 0 items', () => {
      expectRejected(anOrderMessage({ items: [] }), 'items', 'must have at least 1 item but is empty');
    });

    it('accepts 1000 items and rejects 1001', () => {
      const items = (count: number) => Array.from({ length: count }, () => anItem());
      expect(PlacedOrder.parse(anOrderMessage({ items: items(1000) })).lines).toHaveLength(1000);
      expectRejected(anOrderMessage({ items: items(1001) }), 'items', 'must have at most 1000 items but has 1001');
    });

    it('keeps lines in the order sent, the same product on several lines', () => {
      const order = PlacedOrder.parse(
        anOrderMessage({
          items: [
            anItem({ productId: 'P-2' }),
            anItem({ productId: 'P-1' }),
            anItem({ productId: 'P-2', quantity: 5 }),
          ],
        }),
      );
      expect(order.lines.map((line) => [line.productId, line.quantity])).toEqual([
        ['P-2', 2],
        ['P-1', 2],
        ['P-2', 5],
      ]);
    });

    it.each([
      ['a string', 'P-1', 'must be an object, not a string'],
      ['null', null, 'must be an object, not null'],
      ['an array', [anItem()], 'must be an object, not an array'],
    ])('rejects an item that is %s, naming its index', (_, item, detail) => {
      expectRejected({ ...anOrderMessage(), items: [anItem(), item] }, 'items[1]', detail);
    });
  });

  describe('items[].productId', () => {
    it('is required', () => {
      expectRejected(withLine({ productId: undefined }), 'items[0].productId', 'is required');
    });

    it('accepts 64 characters and rejects 65', () => {
      expect(PlacedOrder.parse(withLine({ productId: 'P'.repeat(64) })).lines[0].productId).toHaveLength(64);
      expectRejected(
        withLine({ productId: 'P'.repeat(65) }),
        'items[0].productId',
        'must be at most 64 characters long but has 65',
      );
    });

    it('rejects an empty string', () => {
      expectRejected(withLine({ productId: '' }), 'items[0].productId', 'must not be empty');
    });

    it('rejects a number', () => {
      expectRejected(
        withLine({ productId: new NumberLiteral('7') }),
        'items[0].productId',
        'must be a string, not a number',
      );
    });
  });

  describe('items[].name', () => {
    const nameOf = (name: unknown): string | null => PlacedOrder.parse(withLine({ name })).lines[0].name;

    it('is optional: absent or null means none', () => {
      expect(nameOf(undefined)).toBeNull();
      expect(nameOf(null)).toBeNull();
    });

    it('accepts any Unicode up to 200 characters, counted as code points', () => {
      expect(nameOf('😀'.repeat(200))).toBe('😀'.repeat(200));
      expect(nameOf('Mouse sem fio — 無線マウス')).toBe('Mouse sem fio — 無線マウス');
      expect(nameOf('')).toBe('');
    });

    it('rejects 201 code points', () => {
      expectRejected(
        withLine({ name: 'é'.repeat(201) }),
        'items[0].name',
        'must be at most 200 characters long but has 201',
      );
    });

    it('rejects an unpaired surrogate, which is not Unicode text', () => {
      expectRejected(withLine({ name: 'Mouse \ud800' }), 'items[0].name', /unpaired surrogate/);
    });

    it('rejects the NUL character, which no text column can store', () => {
      expectRejected(withLine({ name: 'Mouse\u0000' }), 'items[0].name', /NUL character/);
    });

    it('rejects a number', () => {
      expectRejected(withLine({ name: 5 }), 'items[0].name', 'must be a string or null, not a number');
    });
  });

  describe('items[].unitPrice', () => {
    it.each([
      ['a million digits', `1${'0'.repeat(1_000_000)}`],
      ['an exponent of a million digits', `1e${'9'.repeat(1_000_000)}`],
      ['a million leading zeros in the fraction', `0.${'0'.repeat(1_000_000)}1`],
    ])('refuses a JSON number of %s by its length, before any BigInt reads it', (_, literal) => {
      const { field, detail } = rejection(withLine({ unitPrice: new NumberLiteral(literal) }));
      expect(field).toBe('items[0].unitPrice');
      expect(detail).toContain(`is a JSON number written in ${literal.length} characters, more than the 64`);
    });

    it('still reads a long but legal literal: leading zeros and an exponent, 64 characters in all', () => {
      const literal = `0.${'0'.repeat(58)}1e58`;
      expect(literal).toHaveLength(64);
      expect(priceOf(new NumberLiteral(literal))).toBe('0.10');
    });

    it('is required', () => {
      expectRejected(withLine({ unitPrice: undefined }), 'items[0].unitPrice', 'is required');
    });

    it.each([
      ['19.90', '19.90'],
      ['19.9', '19.90'],
      ['0', '0.00'],
      ['0.10', '0.10'],
      ['007.50', '7.50'],
      ['1000000000', '1000000000.00'],
      ['1000000000.00', '1000000000.00'],
    ])('accepts the decimal string %j as %s', (unitPrice, expected) => {
      expect(priceOf(unitPrice)).toBe(expected);
    });

    it('rejects a price with more decimals than the currency allows, instead of rounding it', () => {
      const error = rejection({ ...anOrderMessage(), items: [anItem(), anItem({ unitPrice: '19.999' })] });
      expect(error.field).toBe('items[1].unitPrice');
      expect(error.message).toBe('items[1].unitPrice has 3 decimal places but BRL allows at most 2.');
      expectRejected(
        withLine({ unitPrice: '19.900' }),
        'items[0].unitPrice',
        'has 3 decimal places but BRL allows at most 2',
      );
    });

    it('takes JPY prices without decimals: "1500" passes, "1500.5" does not', () => {
      expect(priceOf('1500', 'JPY')).toBe('1500');
      expect(priceOf(new NumberLiteral('1500'), 'JPY')).toBe('1500');
      expectRejected(
        withLine({ unitPrice: '1500.5' }, 'JPY'),
        'items[0].unitPrice',
        'has 1 decimal place but JPY allows none',
      );
      expectRejected(
        withLine({ unitPrice: '1500.0' }, 'JPY'),
        'items[0].unitPrice',
        'has 1 decimal place but JPY allows none',
      );
    });

    it('takes KWD prices with three decimals', () => {
      expect(priceOf('1.250', 'KWD')).toBe('1.250');
      expect(priceOf('1.25', 'KWD')).toBe('1.250');
      expectRejected(
        withLine({ unitPrice: '1.2505' }, 'KWD'),
        'items[0].unitPrice',
        'has 4 decimal places but KWD allows at most 3',
      );
    });

    it('takes CLF prices with four decimals', () => {
      expect(priceOf('0.0001', 'CLF')).toBe('0.0001');
    });

    it.each(['.5', '5.', '-1.50', '+1.50', '1e3', ' 1.50', '1.50 ', '1,50', '1 000', '', 'R$ 1,50', '١٢'])(
      'rejects the string %j, which is not plain decimal notation',
      (unitPrice) => {
        expectRejected(
          withLine({ unitPrice }),
          'items[0].unitPrice',
          /must be in plain decimal notation such as "19\.90"/,
        );
      },
    );

    it.each([
      ['a JS number', 5.5, '5.50'],
      ['a literal', new NumberLiteral('5.5'), '5.50'],
      ['a literal with trailing zeros within the currency', new NumberLiteral('19.90'), '19.90'],
      ['an integer literal', new NumberLiteral('1000000000'), '1000000000.00'],
    ])('accepts a JSON number as %s', (_, unitPrice, expected) => {
      expect(priceOf(unitPrice)).toBe(expected);
    });

    it('counts decimals of a plain number literal as written', () => {
      expectRejected(
        withLine({ unitPrice: new NumberLiteral('19.900') }),
        'items[0].unitPrice',
        'has 3 decimal places but BRL allows at most 2',
      );
    });

    it.each([
      ['1.5e1', '15.00'],
      ['1.5E+1', '15.00'],
      ['1950e-2', '19.50'],
      ['1.990e1', '19.90'],
      ['1e9', '1000000000.00'],
      ['0e99', '0.00'],
      ['1.00000000000000e8', '100000000.00'],
    ])('computes the exact value of the exponent-form number %s', (text, expected) => {
      expect(priceOf(new NumberLiteral(text))).toBe(expected);
    });

    it('counts decimals of an exponent-form number on its exact value', () => {
      expectRejected(
        withLine({ unitPrice: new NumberLiteral('1.999e-1') }),
        'items[0].unitPrice',
        'has 4 decimal places but BRL allows at most 2',
      );
      expectRejected(
        withLine({ unitPrice: new NumberLiteral('1e-999999999') }),
        'items[0].unitPrice',
        'has 999999999 decimal places but BRL allows at most 2',
      );
    });

    it('accepts 15 significant digits and rejects 16', () => {
      expect(priceOf(new NumberLiteral('1.23456789010000e8'))).toBe('123456789.01');
      expect(priceOf(new NumberLiteral('1.23456789012300e8'), 'CLF')).toBe('123456789.0123');
      expectRejected(
        withLine({ unitPrice: new NumberLiteral('1.234567890100000e8') }),
        'items[0].unitPrice',
        'has 16 significant digits but a JSON number may carry at most 15; send the price as a decimal string',
      );
    });

    it('rejects a JS number that a float has bent (0.1 + 0.2)', () => {
      expectRejected(withLine({ unitPrice: 0.1 + 0.2 }), 'items[0].unitPrice', /has 17 significant digits/);
    });

    it.each([new NumberLiteral('-0'), new NumberLiteral('-0.0'), new NumberLiteral('-0e5'), -0])(
      'reads %s as zero',
      (unitPrice) => {
        expect(priceOf(unitPrice)).toBe('0.00');
      },
    );

    it.each([new NumberLiteral('-1.5'), new NumberLiteral('-0.01'), new NumberLiteral('-1e-2'), -0.01])(
      'rejects the negative price %s',
      (unitPrice) => {
        expectRejected(withLine({ unitPrice }), 'items[0].unitPrice', /^must not be negative; got -/);
      },
    );

    it.each([
      ['1000000000.01'],
      ['1000000001'],
      ['99999999999999999999999999999999'],
      [new NumberLiteral('1000000000.01')],
      [new NumberLiteral('1e10')],
      [new NumberLiteral('1.0000000001e9')],
      [new NumberLiteral('1e999999999')],
      [1e21],
    ])('rejects %s, above 1,000,000,000', (unitPrice) => {
      expectRejected(withLine({ unitPrice }), 'items[0].unitPrice', /^must not exceed 1000000000; got /);
    });

    it.each([
      ['a boolean', true],
      ['an object', { amount: '19.90' }],
      ['an array', ['19.90']],
      ['null', null],
    ])('rejects %s, saying what is expected', (description, unitPrice) => {
      expectRejected(
        withLine({ unitPrice }),
        'items[0].unitPrice',
        `must be a decimal string such as "19.90" or a JSON number, not ${description}`,
      );
    });

    it.each([Number.POSITIVE_INFINITY, Number.NaN])('rejects the non-finite JS number %s', (unitPrice) => {
      expectRejected(withLine({ unitPrice }), 'items[0].unitPrice', /^must be a finite number/);
    });

    it.each(['01.5', '1.', '.5', 'NaN', '0x10'])('rejects the malformed number literal %s', (text) => {
      expectRejected(
        withLine({ unitPrice: new NumberLiteral(text) }),
        'items[0].unitPrice',
        /^is not a valid JSON number/,
      );
    });
  });

  describe('items[].quantity', () => {
    it('is required', () => {
      expectRejected(withLine({ quantity: undefined }), 'items[0].quantity', 'is required');
    });

    it('refuses an integer literal longer than the range allows by its length, before reading its digits', () => {
      const huge = `9${'0'.repeat(1_000_000)}`;
      const { field, detail } = rejection(withLine({ quantity: new NumberLiteral(huge) }));
      expect(field).toBe('items[0].quantity');
      expect(detail).toMatch(/^must be between 1 and 1000000; got 90{39}…$/);
      expect(() => quantityOf(new NumberLiteral('10000000'))).toThrow(/must be between 1 and 1000000; got 10000000\.$/);
    });

    it.each([
      [new NumberLiteral('1'), 1],
      [new NumberLiteral('1000000'), 1_000_000],
      [3, 3],
    ])('accepts %s', (quantity, expected) => {
      expect(quantityOf(quantity)).toBe(expected);
    });

    it.each([
      ['0', new NumberLiteral('0')],
      ['1,000,001', new NumberLiteral('1000001')],
      ['-1', new NumberLiteral('-1')],
      ['-0', new NumberLiteral('-0')],
      ['a huge integer', new NumberLiteral('9'.repeat(30))],
      ['0 as a JS number', 0],
    ])('rejects %s, outside 1 to 1,000,000', (_, quantity) => {
      expectRejected(withLine({ quantity }), 'items[0].quantity', /^must be between 1 and 1000000; got /);
    });

    it.each(['2.0', '2.5', '2e0', '1E3'])('rejects the literal %s, which is not written as an integer', (text) => {
      expectRejected(
        withLine({ quantity: new NumberLiteral(text) }),
        'items[0].quantity',
        `must be a JSON integer, written without a decimal point or exponent; got ${text}`,
      );
    });

    it('rejects the JS number 2.5', () => {
      expectRejected(withLine({ quantity: 2.5 }), 'items[0].quantity', 'must be a JSON integer; got 2.5');
    });

    it('rejects the string "2"', () => {
      expectRejected(withLine({ quantity: '2' }), 'items[0].quantity', 'must be a JSON integer, not a string ("2")');
    });

    it.each([
      ['a boolean', true],
      ['null', null],
      ['an object', {}],
    ])('rejects %s', (description, quantity) => {
      expectRejected(withLine({ quantity }), 'items[0].quantity', `must be a JSON integer, not ${description}`);
    });
  });

  describe('fingerprint', () => {
    const base = {
      externalId: 'A-1',
      customerId: 'C-42',
      currency: 'BRL',
      placedAt: '2026-11-21T10:00:00Z',
      items: [
        { productId: 'P-1', name: 'Mouse', unitPrice: '19.90', quantity: 2 },
        { productId: 'P-7', name: 'Pad', unitPrice: '5.50', quantity: 1 },
      ],
    };
    const fingerprintOf = (message: unknown): string => PlacedOrder.parse(message).fingerprint;

    it('is a sha256 in hex', () => {
      expect(fingerprintOf(base)).toMatch(/^[0-9a-f]{64}$/);
    });

    it.each([
      ['a price as a number', { ...base, items: [{ ...base.items[0], unitPrice: 19.9 }, base.items[1]] }],
      [
        'a price as an exponent literal',
        { ...base, items: [{ ...base.items[0], unitPrice: new NumberLiteral('1.99e1') }, base.items[1]] },
      ],
      ['a price with fewer zeros', { ...base, items: [base.items[0], { ...base.items[1], unitPrice: '5.5' }] }],
      [
        'a quantity literal',
        { ...base, items: [{ ...base.items[0], quantity: new NumberLiteral('2') }, base.items[1]] },
      ],
      ['placedAt in another time zone', { ...base, placedAt: '2026-11-21T07:00:00-03:00' }],
      ['placedAt with zero milliseconds', { ...base, placedAt: '2026-11-21T10:00:00.000Z' }],
      ['extra unknown fields', { ...base, source: 'web', items: [{ ...base.items[0], sku: 'x' }, base.items[1]] }],
      [
        'keys in another order',
        { items: base.items, placedAt: base.placedAt, currency: 'BRL', customerId: 'C-42', externalId: 'A-1' },
      ],
    ])('is the same for the same content written with %s', (_, message) => {
      expect(fingerprintOf(message)).toBe(fingerprintOf(base));
    });

    it('is the same for an absent and a null optional field', () => {
      const withoutCustomer: Record<string, unknown> = { ...base };
      delete withoutCustomer.customerId;
      expect(fingerprintOf({ ...base, customerId: null })).toBe(fingerprintOf(withoutCustomer));
    });

    it.each([
      ['externalId', { ...base, externalId: 'A-2' }],
      ['customerId', { ...base, customerId: 'C-43' }],
      ['customerId left out', { ...base, customerId: null }],
      ['currency', { ...base, currency: 'USD' }],
      ['placedAt', { ...base, placedAt: '2026-11-21T10:00:01Z' }],
      ['placedAt left out', { ...base, placedAt: null }],
      ['a productId', { ...base, items: [{ ...base.items[0], productId: 'P-2' }, base.items[1]] }],
      ['a name', { ...base, items: [{ ...base.items[0], name: 'Mouse 2' }, base.items[1]] }],
      ['a name left out', { ...base, items: [{ ...base.items[0], name: null }, base.items[1]] }],
      ['a unitPrice', { ...base, items: [{ ...base.items[0], unitPrice: '19.91' }, base.items[1]] }],
      ['a quantity', { ...base, items: [{ ...base.items[0], quantity: 3 }, base.items[1]] }],
      ['the line order', { ...base, items: [base.items[1], base.items[0]] }],
      ['one more line', { ...base, items: [...base.items, base.items[1]] }],
      ['one line less', { ...base, items: [base.items[0]] }],
    ])('changes when %s changes', (_, message) => {
      expect(fingerprintOf(message)).not.toBe(fingerprintOf(base));
    });
  });

  describe('toMessage', () => {
    it.each([
      ['every field', { ...anOrderMessage(), customerId: 'C-42', placedAt: '2026-11-21T07:00:00-03:00' }],
      [
        'no optional field',
        { externalId: 'A-1', currency: 'BRL', items: [{ productId: 'P-1', unitPrice: '0', quantity: 1 }] },
      ],
      [
        'yen',
        {
          externalId: 'A-2',
          currency: 'JPY',
          items: [{ productId: 'P', unitPrice: new NumberLiteral('1500'), quantity: 3 }],
        },
      ],
      [
        'dinars and extra fields',
        {
          externalId: 'A-3',
          currency: 'KWD',
          x: [1, 2],
          items: [{ productId: 'P', unitPrice: '1.25', quantity: 2, sku: 'y' }],
        },
      ],
    ])('writes an order with %s back as a message that parses to the same order', (_, message) => {
      const order = PlacedOrder.parse(message);
      const again = PlacedOrder.parse(order.toMessage());
      expect(again.fingerprint).toBe(order.fingerprint);
      expect(again).toEqual(order);
    });
  });
});
