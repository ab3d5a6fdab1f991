import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles with each attempt between half and all of the ceiling', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(1, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(4, 100, 10_000, () => 1)).toBe(800);
  });

  it('never exceeds the maximum delay', () => {
    expect(backoffDelay(50, 100, 10_000, () => 1)).toBe(10_000);
  });
});
