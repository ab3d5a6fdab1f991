import { describe, expect, it } from 'vitest';
import { ApiKeys } from './api-keys.js';

describe('ApiKeys', () => {
  const keys = new ApiKeys(['first-key-0123456789', 'second-key-0123456789']);

  it('accepts every configured key', () => {
    expect(keys.accepts('first-key-0123456789')).toBe(true);
    expect(keys.accepts('second-key-0123456789')).toBe(true);
  });

  it('tells which key it was by position, never by the key', () => {
    expect(keys.indexOf('first-key-0123456789')).toBe(0);
    expect(keys.indexOf('second-key-0123456789')).toBe(1);
    expect(keys.indexOf('third-key-0123456789')).toBeNull();
  });

  it.each([
    ['an unknown key', 'third-key-0123456789'],
    ['a prefix of a key', 'first-key'],
    ['a key with more after it', 'first-key-0123456789x'],
    ['a key in another case', 'FIRST-KEY-0123456789'],
    ['an empty key', ''],
  ])('refuses %s', (_, candidate) => {
    expect(keys.accepts(candidate)).toBe(false);
  });
});
