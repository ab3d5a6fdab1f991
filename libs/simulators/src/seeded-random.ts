/** mulberry32: a tiny, fast PRNG whose whole sequence follows from one 32-bit seed. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /**
   * A generator of its own for one key (an order's externalId): what is drawn for an order does not
   * depend on the order in which the orders arrive, and the same seed draws the same for it again.
   */
  static forKey(seed: number, key: string): SeededRandom {
    let hash = 0x811c9dc5 ^ seed; // FNV-1a over the key, started from the seed
    for (const byte of Buffer.from(key)) hash = Math.imul(hash ^ byte, 0x01000193);
    return new SeededRandom(hash);
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer from min to max, both included. */
  integer(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(choices: readonly T[]): T {
    return choices[Math.floor(this.next() * choices.length)];
  }
}
