import { describe, expect, it } from 'vitest';
import { median, medianInterval } from './statistics.js';

describe('medianInterval', () => {
  const rounds = [1.29, 1.1, 0.9, 1.08, 1.18, 1.04, 1.09, 1.29, 1.39, 0.89, 1.14, 1.03, 0.99, 1.04, 1.38, 0.93];

  it('brackets the median within the sample', () => {
    const [low, high] = medianInterval(rounds);
    expect(low).toBeLessThanOrEqual(median(rounds));
    expect(high).toBeGreaterThanOrEqual(median(rounds));
    expect(low).toBeGreaterThanOrEqual(Math.min(...rounds));
    expect(high).toBeLessThanOrEqual(Math.max(...rounds));
    expect(high).toBeGreaterThan(low);
  });

  it('gives the same interval for the same runs', () => {
    expect(medianInterval(rounds)).toEqual(medianInterval([...rounds]));
  });

  it('narrows as the rounds agree', () => {
    expect(medianInterval([1.05, 1.05, 1.05, 1.05])).toEqual([1.05, 1.05]);
  });

  it('is undefined for no rounds', () => {
    expect(medianInterval([])).toEqual([Number.NaN, Number.NaN]);
  });
});
