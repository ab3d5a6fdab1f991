import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { TurnBufferedOutput } from './turn-buffered-output.js';

describe('TurnBufferedOutput', () => {
  it('writes the lines of one turn of the event loop together, in order, once the turn is over', async () => {
    const writes: string[] = [];
    const output = new TurnBufferedOutput({ write: (text: string) => writes.push(text) });

    output.write('a\n');
    output.write('b\n');
    expect(writes).toEqual([]);
    await nextTurn();
    output.write('c\n');
    await nextTurn();

    expect(writes).toEqual(['a\nb\n', 'c\n']);
  });

  it('writes what is buffered at once when flushed, and nothing when there is nothing', () => {
    const writes: string[] = [];
    const output = new TurnBufferedOutput({ write: (text: string) => writes.push(text) });

    output.flush();
    output.write('last words\n');
    output.flush();

    expect(writes).toEqual(['last words\n']);
  });
});
