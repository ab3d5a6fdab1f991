import { NumberLiteral } from '@app/ordering';
import { describe, expect, it } from 'vitest';
import { decodeJsonMessage, InvalidJsonError, OversizedMessageError } from './json-message.decoder.js';

const LIMIT = 1024 * 1024;

describe('decodeJsonMessage', () => {
  it('keeps every JSON number as the text it was written in', () => {
    const decoded = decodeJsonMessage(
      Buffer.from('{"price": 19.90, "big": 12345678901234567890, "exp": 1.5e1}'),
      LIMIT,
    );
    expect(decoded).toEqual({
      price: new NumberLiteral('19.90'),
      big: new NumberLiteral('12345678901234567890'),
      exp: new NumberLiteral('1.5e1'),
    });
  });

  it('decodes UTF-8 text, names included', () => {
    expect(decodeJsonMessage(Buffer.from('{"name":"Café ☕"}'), LIMIT)).toEqual({ name: 'Café ☕' });
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(() => decodeJsonMessage(Buffer.from([0x7b, 0xc3, 0x28, 0x7d]), LIMIT)).toThrow(/not valid UTF-8/);
  });

  it.each(['', '{', '{"a":1,}', "{'a':1}", 'NaN'])('rejects %j as invalid JSON', (text) => {
    expect(() => decodeJsonMessage(Buffer.from(text), LIMIT)).toThrow(InvalidJsonError);
  });

  it('rejects a document nested too deeply instead of crashing', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    expect(() => decodeJsonMessage(Buffer.from(deep), LIMIT)).toThrow(InvalidJsonError);
  });

  it('refuses a body over the limit before decoding it, as an invalid order that says both sizes', () => {
    const body = Buffer.from(`{"externalId":"A-1","padding":"${' '.repeat(100)}"}`);
    const decode = () => decodeJsonMessage(body, 100);
    expect(decode).toThrow(OversizedMessageError);
    expect(decode).toThrow(`The message body is ${body.length} bytes, over the limit of 100 bytes`);
    expect(decodeJsonMessage(body, body.length)).toMatchObject({ externalId: 'A-1' });
  });

  it('refuses an oversized body even when it is not UTF-8: the size is checked first', () => {
    const error = (() => {
      try {
        decodeJsonMessage(Buffer.alloc(2048, 0xff), 1024);
      } catch (thrown) {
        return thrown as OversizedMessageError;
      }
    })();
    expect(error?.rejection).toEqual({ reason: 'invalid-order', detail: expect.stringContaining('2048 bytes') });
  });
});
