import { hash, timingSafeEqual } from 'node:crypto';

/**
 * The configured keys, kept only as SHA-256 digests. A candidate is hashed and compared with every
 * key, always all of them and in constant time, so neither the answer's timing nor its length
 * tells an attacker how close a guess was.
 */
export class ApiKeys {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  accepts(candidate: string): boolean {
    return this.indexOf(candidate) !== null;
  }

  /** Which configured key the candidate is, by position (never the key itself), or null. */
  indexOf(candidate: string): number | null {
    const candidateDigest = digest(candidate);
    let found: number | null = null;
    this.digests.forEach((known, index) => {
      if (timingSafeEqual(known, candidateDigest)) found = index;
    });
    return found;
  }
}

/** One-shot: every request hashes its key, and a Hash object per call cost twice as much. */
function digest(key: string): Buffer {
  return hash('sha256', key, 'buffer');
}
