import { describe, expect, it } from 'vitest';
import { errorMessage } from './error-message.js';

describe('errorMessage', () => {
  it("gives an Error's message without its name or stack", () => {
    expect(errorMessage(new TypeError('connection terminated'))).toBe('connection terminated');
  });

  it('gives any other thrown value as text', () => {
    expect(errorMessage('channel closed')).toBe('channel closed');
    expect(errorMessage(42)).toBe('42');
    expect(errorMessage(undefined)).toBe('undefined');
  });
});
