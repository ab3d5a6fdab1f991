import { describe, expect, it } from 'vitest';
import { RecentResult } from './recent-result.js';

describe('RecentResult', () => {
  it('runs once for every caller within its age, then again', async () => {
    let now = 0;
    let runs = 0;
    const recent = new RecentResult(
      () => Promise.resolve(++runs),
      1000,
      () => now,
    );

    const together = await Promise.all(Array.from({ length: 50 }, () => recent.get()));
    now = 999;
    const later = await recent.get();
    now = 1000;
    const fresh = await recent.get();

    expect(together).toEqual(Array(50).fill(1));
    expect(later).toBe(1);
    expect(fresh).toBe(2);
  });

  it('shares a failure the same way, and tries again once it is old', async () => {
    let now = 0;
    let runs = 0;
    const recent = new RecentResult(
      () => Promise.reject(new Error(`down ${++runs}`)),
      1000,
      () => now,
    );

    await expect(recent.get()).rejects.toThrow('down 1');
    await expect(recent.get()).rejects.toThrow('down 1');
    now = 1500;
    await expect(recent.get()).rejects.toThrow('down 2');
  });
});
