import { NumberLiteral } from '@app/ordering';
import { describe, expect, it } from 'vitest';
import { decodeOrderMessage, InvalidJsonError } from './order-message.decoder.js';

describe('decodeOrderMessage', () => {
  it('keeps every JSON number as the text it was written in', () => {
    const decoded = decodeOrderMessage(Buffer.from('{"price": 19.90, "big": 12345678901234567890, "exp": 1.5e1}'));
    expect(decoded).toEqual({
      price: new NumberLiteral('19.90'),
      big: new NumberLiteral('12345678901234567890'),
      exp: new NumberLiteral('1.5e1'),
    });
  });

  it('decodes UTF-8 text, names included', () => {
    expect(decodeOrderMessage(Buffer.from('{"name":"Café ☕"}'))).toEqual({ name: 'Café ☕' });
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(() => decodeOrderMessage(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]))).toThrow(/not valid UTF-8/);
  });

  it.each(['', '{', '{"a":1,}', "{'a':1}", 'NaN'])('rejects %j as invalid JSON', (text) => {
    expect(() => decodeOrderMessage(Buffer.from(text))).toThrow(InvalidJsonError);
  });

  it('rejects a document nested too deeply instead of crashing', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(() => decodeOrderMessage(Buffer.from(deep))).toThrow(InvalidJsonError);
  });
});
