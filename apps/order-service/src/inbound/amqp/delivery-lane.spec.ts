import { describe, expect, it } from 'vitest';
import { DeliveryLane } from './delivery-lane.js';

/** Work that runs until the test ends it, recording when it started. */
function work(log: string[], name: string) {
  let end = () => undefined as void;
  const ended = new Promise<void>((resolve) => (end = resolve));
  return {
    run: async () => {
      log.push(`start ${name}`);
      await ended;
      log.push(`end ${name}`);
    },
    end,
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('DeliveryLane', () => {
  it('runs work together at once', async () => {
    const lane = new DeliveryLane();
    const log: string[] = [];
    const [a, b] = [work(log, 'a'), work(log, 'b')];
    const done = [lane.together(a.run), lane.together(b.run)];
    await turn();
    expect(log).toEqual(['start a', 'start b']);
    a.end();
    b.end();
    await Promise.all(done);
  });

  it('starts work alone only once everything before it has ended, and holds everything after it back', async () => {
    const lane = new DeliveryLane();
    const log: string[] = [];
    const [a, suspect, b, c] = [work(log, 'a'), work(log, 'suspect'), work(log, 'b'), work(log, 'c')];
    const done = [lane.together(a.run), lane.alone(suspect.run), lane.together(b.run), lane.together(c.run)];
    await turn();
    expect(log).toEqual(['start a']);
    a.end();
    await turn();
    expect(log).toEqual(['start a', 'end a', 'start suspect']);
    suspect.end();
    await turn();
    expect(log).toEqual(['start a', 'end a', 'start suspect', 'end suspect', 'start b', 'start c']);
    b.end();
    c.end();
    await Promise.all(done);
  });

  it('lets what waits behind work alone start once it releases the lane, and the next alone once it ends', async () => {
    const lane = new DeliveryLane();
    const log: string[] = [];
    const [waiter, b, other] = [work(log, 'waiter'), work(log, 'b'), work(log, 'other')];
    let release = () => undefined as void;
    const done = [
      lane.alone((released) => ((release = released), waiter.run())),
      lane.together(b.run),
      lane.alone(other.run),
    ];
    await turn();
    expect(log).toEqual(['start waiter']);
    release();
    await turn();
    expect(log).toEqual(['start waiter', 'start b']);
    b.end();
    await turn();
    expect(log).toEqual(['start waiter', 'start b', 'end b']);
    waiter.end();
    await turn();
    expect(log).toEqual(['start waiter', 'start b', 'end b', 'end waiter', 'start other']);
    other.end();
    await Promise.all(done);
  });

  it('runs two pieces of work alone one after the other, and goes on after one that failed', async () => {
    const lane = new DeliveryLane();
    const log: string[] = [];
    const second = work(log, 'second');
    const failed = lane.alone(() => Promise.reject(new Error('boom')));
    const done = lane.alone(second.run);
    await expect(failed).rejects.toThrow('boom');
    await turn();
    expect(log).toEqual(['start second']);
    second.end();
    await done;
  });
});
