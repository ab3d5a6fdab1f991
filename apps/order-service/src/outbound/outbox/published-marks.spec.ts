import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PublishedMarks } from './published-marks.js';

describe('PublishedMarks', () => {
  let written: string[][];
  let failed: string[][];
  const marks = (markPublished = (ids: readonly string[]) => (written.push([...ids]), Promise.resolve())) =>
    new PublishedMarks(markPublished, 100, 4, (ids) => failed.push([...ids]));

  beforeEach(() => {
    vi.useFakeTimers();
    written = [];
    failed = [];
  });
  afterEach(() => vi.useRealTimers());

  it('marks what the rounds of one window confirmed in one statement, once the window is over', async () => {
    const published = marks();
    void published.add(['1']);
    void published.add(['2', '3']);
    await vi.advanceTimersByTimeAsync(99);
    expect(written).toEqual([]);

    await vi.advanceTimersByTimeAsync(1);

    expect(written).toEqual([['1', '2', '3']]);
  });

  it('tells each caller once its ids are marked, not before', async () => {
    const published = marks();
    let marked = false;
    void published.add(['1']).then(() => (marked = true));
    await vi.advanceTimersByTimeAsync(99);
    expect(marked).toBe(false);

    await vi.advanceTimersByTimeAsync(1);

    expect(written).toEqual([['1']]);
    expect(marked).toBe(true);
  });

  it('marks at once when a full batch is waiting, without waiting for the window', async () => {
    const published = marks();
    void published.add(['1', '2']);
    void published.add(['3', '4', '5']);
    await vi.advanceTimersByTimeAsync(0);

    expect(written).toEqual([['1', '2', '3', '4', '5']]);
  });

  it('writes one statement at a time, in order, and a flush waits for every mark asked for', async () => {
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const published = marks((ids) => {
      written.push([...ids]);
      return ids[0] === '1' ? slow : Promise.resolve();
    });
    void published.add(['1', '2', '3', '4']);
    void published.add(['5']);
    const flushed = published.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual([['1', '2', '3', '4']]);

    release();
    await flushed;

    expect(written).toEqual([['1', '2', '3', '4'], ['5']]);
  });

  it('reports the ids a failed statement left unmarked, and goes on marking the next ones', async () => {
    const published = marks((ids) =>
      ids[0] === 'lost'
        ? Promise.reject(new Error('connection terminated'))
        : (written.push([...ids]), Promise.resolve()),
    );
    void published.add(['lost']);
    await published.flush();
    void published.add(['next']);
    await published.flush();

    expect(failed).toEqual([['lost']]);
    expect(written).toEqual([['next']]);
  });
});
