import { describe, expect, it } from 'vitest';
import { FailureBudget } from './failure-budget.js';

const policy = { maxAttempts: 5, minFailingMs: 60_000, maxCrashes: 3 };

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('FailureBudget', () => {
  it('does not give up after the attempts alone while the minimum time has not passed', () => {
    const time = clock();
    const budget = new FailureBudget(policy, 0, time.now);
    for (let attempt = 1; attempt <= 20; attempt++) {
      expect(budget.failed()).toBe(false);
      time.advance(2_000);
    }
  });

  it('does not give up after the time alone while attempts are left', () => {
    const time = clock();
    const budget = new FailureBudget(policy, 0, time.now);
    expect(budget.failed()).toBe(false);
    time.advance(600_000);
    for (let attempt = 2; attempt < 5; attempt++) expect(budget.failed()).toBe(false);
    expect(budget.failed()).toBe(true);
  });

  it('gives up once both the attempts and the time are spent, counting from the first failure', () => {
    const time = clock();
    const budget = new FailureBudget(policy, 0, time.now);
    time.advance(3_600_000); // waiting before the first failure does not count
    for (let attempt = 1; attempt < 5; attempt++) expect(budget.failed()).toBe(false);
    time.advance(59_999);
    expect(budget.failed()).toBe(false);
    time.advance(1);
    expect(budget.failed()).toBe(true);
    expect(budget.attempts).toBe(6);
  });

  it('counts the processes that died handling it as attempts, not as time', () => {
    const time = clock();
    const budget = new FailureBudget(policy, 2, time.now);
    expect(budget.crashedTooOften).toBe(false);
    expect(budget.failed()).toBe(false);
    expect(budget.failed()).toBe(false);
    time.advance(60_000);
    expect(budget.failed()).toBe(true);
  });

  it('stops processing a message that its process died handling alone, maxCrashes times', () => {
    expect(new FailureBudget(policy, 2).crashedTooOften).toBe(false);
    expect(new FailureBudget(policy, 3).crashedTooOften).toBe(true);
  });
});
