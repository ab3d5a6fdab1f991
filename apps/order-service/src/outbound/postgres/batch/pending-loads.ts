import type { DeferredWrites } from './deferred-statement.js';

/**
 * Reads that the items of one transaction ask for before the event loop turns, made with one
 * statement (the DataLoader idea): a batch of a hundred items costs one round trip, not a hundred
 * on the transaction's single connection. The same key asked twice gets the same answer.
 */
export class PendingLoads<K, V> implements DeferredWrites {
  private readonly answers = new Map<K, Promise<V | undefined>>();
  private waiting = new Map<K, { resolve: (value: V | undefined) => void; reject: (error: unknown) => void }>();
  private loading: Promise<void> | null = null;

  constructor(private readonly load: (keys: K[]) => Promise<Map<K, V>>) {}

  get(key: K): Promise<V | undefined> {
    let answer = this.answers.get(key);
    if (!answer) {
      answer = new Promise((resolve, reject) => this.waiting.set(key, { resolve, reject }));
      this.answers.set(key, answer);
      this.loading ??= new Promise<void>((next) => setImmediate(next)).then(() => this.loadWaiting());
    }
    return answer;
  }

  /** Reads are answered while the work runs; by commit time nothing is left. */
  async settle(): Promise<void> {
    await this.loading;
  }

  statement(): null {
    return null;
  }

  private async loadWaiting(): Promise<void> {
    const batch = this.waiting;
    this.waiting = new Map();
    this.loading = null;
    try {
      const found = await this.load([...batch.keys()]);
      batch.forEach(({ resolve }, key) => resolve(found.get(key)));
    } catch (error) {
      batch.forEach(({ reject }) => reject(error));
    }
  }
}
